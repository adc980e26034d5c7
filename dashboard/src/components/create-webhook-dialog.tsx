import { useState } from 'preact/hooks';
import type { WebhookWithSecret, Written } from '../api/api-types';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';
import { ModalDialog } from './modal-dialog';
import { SecretReveal } from './secret-reveal';
import { WebhookForm } from './webhook-form';

interface CreateWebhookDialogProps {
  routeId: string;
  onClose: () => void;
  onCreated: () => void;
}

/** Create webhook: the form, then the new webhook's secret, shown this once. */
export function CreateWebhookDialog({ routeId, onClose, onCreated }: CreateWebhookDialogProps) {
  const { api } = useSession();
  const [created, setCreated] = useState<WebhookWithSecret | undefined>();
  return (
    <ModalDialog title={created ? 'Webhook created' : 'Create webhook'} onClose={onClose}>
      {created ? (
        <>
          <p>
            <strong>{created.name}</strong> is {created.enabled ? 'active' : 'created, disabled'}. Verify its deliveries
            with this signing secret.
          </p>
          <SecretReveal secret={created.secret} />
          <div class="form-actions">
            <Link class="button" href={paths.webhook(created.id)}>
              Open webhook
            </Link>
            <button type="button" class="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <WebhookForm
          initial={{ name: '', url: '', events: [], include_machine_events: false, enabled: true }}
          submitLabel="Create webhook"
          onCancel={onClose}
          onSubmit={async (values) => {
            const answer = await api.post<Written<WebhookWithSecret>>('/v1/webhooks', {
              route_id: routeId,
              ...values,
            });
            setCreated(answer.data);
            onCreated();
          }}
        />
      )}
    </ModalDialog>
  );
}
