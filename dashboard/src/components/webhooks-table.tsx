import type { Webhook } from '../api/api-types';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { TimeAgo } from './time-ago';
import { WebhookHealth } from './webhook-health';

/** A route's webhooks, as Lettermint's Webhooks tab lists them, with a health column of ours. */
export function WebhooksTable({ webhooks }: { webhooks: Webhook[] }) {
  return (
    <table class="table responsive-table">
      <caption class="visually-hidden">Webhooks of this route</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">URL</th>
          <th scope="col">Events</th>
          <th scope="col">Enabled</th>
          <th scope="col">Last called</th>
          <th scope="col">Health</th>
        </tr>
      </thead>
      <tbody>
        {webhooks.map((webhook) => (
          <tr key={webhook.id}>
            <td data-label="Name">
              <Link href={paths.webhook(webhook.id)}>{webhook.name}</Link>
            </td>
            <td data-label="URL" class="break">
              {webhook.url}
            </td>
            <td data-label="Events">
              <EventsSummary events={webhook.events} />
            </td>
            <td data-label="Enabled">
              <span class={`badge ${webhook.enabled ? 'badge-good' : 'badge-neutral'}`}>
                {webhook.enabled ? 'Enabled' : 'Disabled'}
              </span>
            </td>
            <td data-label="Last called">
              <TimeAgo iso={webhook.last_called_at} fallback="Never" />
            </td>
            <td data-label="Health">
              <WebhookHealth webhookId={webhook.id} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EventsSummary({ events }: { events: string[] }) {
  const shown = events.slice(0, 2);
  return (
    <span title={events.join(', ')}>
      {shown.map((type) => (
        <code key={type} class="chip">
          {type}
        </code>
      ))}
      {events.length > shown.length && <span class="muted"> +{events.length - shown.length} more</span>}
    </span>
  );
}
