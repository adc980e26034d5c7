import type { Webhook, Written } from '../api/api-types';
import { useSession } from '../session/session-context';
import { ModalDialog } from './modal-dialog';
import { WebhookForm } from './webhook-form';

/** Edit: the same five fields, sent as a partial `PUT`. */
export function EditWebhookDialog(props: {
  webhook: Webhook;
  onClose: () => void;
  onSaved: (webhook: Webhook) => void;
}) {
  const { api } = useSession();
  const { webhook } = props;
  return (
    <ModalDialog title="Edit webhook" onClose={props.onClose}>
      <WebhookForm
        initial={{
          name: webhook.name,
          url: webhook.url,
          events: webhook.events,
          include_machine_events: webhook.include_machine_events ?? false,
          enabled: webhook.enabled,
        }}
        submitLabel="Save changes"
        onCancel={props.onClose}
        onSubmit={async (values) => {
          const answer = await api.put<Written<Webhook>>(`/v1/webhooks/${webhook.id}`, values);
          props.onSaved(answer.data);
        }}
      />
    </ModalDialog>
  );
}
