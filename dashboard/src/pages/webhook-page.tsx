import { useState } from 'preact/hooks';
import type { Webhook } from '../api/api-types';
import { BulkReplayPanel } from '../components/bulk-replay-panel';
import { ConfirmDialog } from '../components/confirm-dialog';
import { DeliveriesPanel } from '../components/deliveries-panel';
import { EditWebhookDialog } from '../components/edit-webhook-dialog';
import { LoadingState } from '../components/loading-state';
import { PageTitle } from '../components/page-title';
import { RegenerateSecretDialog } from '../components/regenerate-secret-dialog';
import { TestWebhookButton } from '../components/test-webhook-button';
import { WebhookCrumbs } from '../components/webhook-crumbs';
import { WebhookSettingsPanel } from '../components/webhook-settings-panel';
import { useResource } from '../hooks/use-resource';
import { navigate } from '../router/navigation';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';

type Dialog = 'edit' | 'regenerate' | 'delete' | undefined;

/** Webhook details: its settings, the Enabled switch, Test Webhook, the secret, and its deliveries. */
export function WebhookPage({ webhookId }: { webhookId: string }) {
  const { api, isOperator } = useSession();
  const loaded = useResource(() => api.get<Webhook>(`/v1/webhooks/${webhookId}`), [webhookId]);
  const [changed, setChanged] = useState<Webhook | undefined>();
  const [dialog, setDialog] = useState<Dialog>();
  const [refreshKey, setRefreshKey] = useState(0);
  const webhook = changed ?? loaded.data;
  if (!webhook && loaded.error) return <LoadingState error={loaded.error} what="webhook" />;
  const close = () => setDialog(undefined);

  // The deliveries load beside the webhook, not after it: they are what this screen is opened for.
  return (
    <>
      {webhook ? (
        <div>
          <WebhookCrumbs routeId={webhook.route_id} webhook={webhook} />
          <div class="title-row">
            <PageTitle title={webhook.name} />
            <span class={`badge ${webhook.enabled ? 'badge-good' : 'badge-neutral'}`}>
              {webhook.enabled ? 'Enabled' : 'Disabled'}
            </span>
          </div>
          <p class="webhook-url break">
            <code>{webhook.url}</code>
          </p>
          <div class="actions">
            <TestWebhookButton webhook={webhook} onLanded={() => setRefreshKey((n) => n + 1)} />
            <button type="button" class="button" onClick={() => setDialog('edit')}>
              Edit
            </button>
            <button type="button" class="button" onClick={() => setDialog('regenerate')}>
              Regenerate secret
            </button>
            <button type="button" class="button button-danger-quiet" onClick={() => setDialog('delete')}>
              Delete
            </button>
          </div>
          <WebhookSettingsPanel
            webhook={webhook}
            onChanged={setChanged}
            onRegenerateSecret={() => setDialog('regenerate')}
          />
        </div>
      ) : (
        <LoadingState error={undefined} what="webhook" />
      )}
      <DeliveriesPanel webhookId={webhookId} refreshKey={refreshKey} />
      {webhook && isOperator && <BulkReplayPanel webhookId={webhookId} />}

      {webhook && dialog === 'edit' && (
        <EditWebhookDialog
          webhook={webhook}
          onClose={close}
          onSaved={(saved) => {
            setChanged(saved);
            close();
          }}
        />
      )}
      {dialog === 'regenerate' && <RegenerateSecretDialog webhookId={webhookId} onClose={close} />}
      {webhook && dialog === 'delete' && (
        <ConfirmDialog
          title="Delete webhook"
          confirmLabel="Delete webhook"
          onClose={close}
          onConfirm={async () => {
            await api.delete(`/v1/webhooks/${webhookId}`);
            navigate(paths.route(webhook.route_id));
          }}
        >
          <p>
            <strong>{webhook.name}</strong> stops receiving events and its pending deliveries are cancelled. Its
            delivery history is kept.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
