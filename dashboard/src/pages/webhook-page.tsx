import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { Webhook, Written } from '../api/api-types';
import { BulkReplayPanel } from '../components/bulk-replay-panel';
import { ConfirmDialog } from '../components/confirm-dialog';
import { DeliveriesPanel } from '../components/deliveries-panel';
import { EditWebhookDialog } from '../components/edit-webhook-dialog';
import { LoadingState } from '../components/loading-state';
import { Notice } from '../components/notice';
import { PageTitle } from '../components/page-title';
import { RegenerateSecretDialog } from '../components/regenerate-secret-dialog';
import { SwitchField } from '../components/switch-field';
import { TestWebhookButton } from '../components/test-webhook-button';
import { ExactTime, TimeAgo } from '../components/time-ago';
import { WebhookCrumbs } from '../components/webhook-crumbs';
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
  const [switchError, setSwitchError] = useState<ApiError | undefined>();
  const [switching, setSwitching] = useState(false);
  const webhook = changed ?? loaded.data;
  if (!webhook) return <LoadingState error={loaded.error} what="webhook" />;

  const setEnabled = async (enabled: boolean) => {
    // The switch is not disabled meanwhile (a disabled control drops the keyboard focus): a toggle waits instead.
    if (switching) return;
    setSwitching(true);
    setSwitchError(undefined);
    try {
      const answer = await api.put<Written<Webhook>>(`/v1/webhooks/${webhook.id}`, { enabled });
      setChanged(answer.data);
    } catch (err) {
      setSwitchError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setSwitching(false);
    }
  };

  return (
    <>
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

      <section class="panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <SwitchField
          label="Enabled"
          name="enabled"
          checked={webhook.enabled}
          onChange={(enabled) => void setEnabled(enabled)}
          hint={
            webhook.enabled
              ? 'Events are delivered to this URL.'
              : 'No events are delivered; pending deliveries were cancelled.'
          }
        />
        {switchError && <Notice tone="error">{switchError.message}</Notice>}
        <dl class="facts">
          <dt>Events</dt>
          <dd>
            {webhook.events.map((type) => (
              <code key={type} class="chip">
                {type}
              </code>
            ))}
          </dd>
          <dt>Include machine events</dt>
          <dd>{webhook.include_machine_events ? 'Yes' : 'No'}</dd>
          <dt>Secret</dt>
          <dd>
            Shown only when created or regenerated.{' '}
            <button type="button" class="button-link" onClick={() => setDialog('regenerate')}>
              Regenerate secret
            </button>
          </dd>
          <dt>Last called</dt>
          <dd>
            <TimeAgo iso={webhook.last_called_at} fallback="Never" />
          </dd>
          <dt>Created</dt>
          <dd>
            <ExactTime iso={webhook.created_at} />
          </dd>
          <dt>Webhook id</dt>
          <dd>
            <code>{webhook.id}</code>
          </dd>
        </dl>
      </section>

      <DeliveriesPanel webhookId={webhook.id} refreshKey={refreshKey} />
      {isOperator && <BulkReplayPanel webhookId={webhook.id} />}

      {dialog === 'edit' && (
        <EditWebhookDialog
          webhook={webhook}
          onClose={() => setDialog(undefined)}
          onSaved={(saved) => {
            setChanged(saved);
            setDialog(undefined);
          }}
        />
      )}
      {dialog === 'regenerate' && (
        <RegenerateSecretDialog webhookId={webhook.id} onClose={() => setDialog(undefined)} />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title="Delete webhook"
          confirmLabel="Delete webhook"
          onClose={() => setDialog(undefined)}
          onConfirm={async () => {
            await api.delete(`/v1/webhooks/${webhook.id}`);
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
