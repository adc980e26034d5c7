import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { Delivery, Webhook, Written } from '../api/api-types';
import { DeliveryTimeline } from '../components/delivery-timeline';
import { LoadingState } from '../components/loading-state';
import { Notice } from '../components/notice';
import { PageTitle } from '../components/page-title';
import { ReplayButton } from '../components/replay-button';
import { StatusBadge } from '../components/status-badge';
import { ExactTime, TimeAgo } from '../components/time-ago';
import { WebhookCrumbs } from '../components/webhook-crumbs';
import { usePolling } from '../hooks/use-polling';
import { useResource } from '../hooks/use-resource';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';

/** A delivery (one event to one webhook): its timeline against the schedule, replay and cancel. */
export function DeliveryPage({ deliveryId }: { deliveryId: string }) {
  const { api, isOperator } = useSession();
  const delivery = useResource(() => api.get<Delivery>(`/v1/deliveries/${deliveryId}`), [deliveryId]);
  const webhookId = delivery.data?.webhook_id;
  const webhook = useResource(
    () => (webhookId ? api.get<Webhook>(`/v1/webhooks/${webhookId}`) : Promise.resolve(undefined)),
    [webhookId],
  );
  const [cancelError, setCancelError] = useState<ApiError | undefined>();
  usePolling(delivery.data?.status === 'pending', 5000, async () => delivery.reload());
  if (!delivery.data) return <LoadingState error={delivery.error} what="delivery" />;
  const d = delivery.data;
  const cancel = async () => {
    setCancelError(undefined);
    try {
      await api.post<Written<Delivery>>(`/v1/deliveries/${d.id}/cancel`);
      delivery.reload();
    } catch (err) {
      setCancelError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  };
  return (
    <>
      {webhook.data && (
        <WebhookCrumbs routeId={webhook.data.route_id} webhook={webhook.data} more={[{ label: 'Delivery' }]} />
      )}
      <div class="title-row">
        <PageTitle title={`Delivery of ${d.event_type}`} />
        <StatusBadge status={d.status} />
      </div>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={d.status} />
          {d.status_reason && <span class="muted"> ({d.status_reason})</span>}
        </dd>
        <dt>Attempts</dt>
        <dd>
          {d.attempts_count} of at most {d.max_attempts}
        </dd>
        <dt>Next attempt</dt>
        <dd>
          {d.next_attempt_at ? <TimeAgo iso={d.next_attempt_at} /> : d.status === 'pending' ? 'Under way' : 'None'}
        </dd>
        <dt>Created</dt>
        <dd>
          <ExactTime iso={d.created_at} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <ExactTime iso={d.finished_at} />
        </dd>
        <dt>Event id</dt>
        <dd>
          <code>{d.event_id}</code>
        </dd>
        {d.replay_of && (
          <>
            <dt>Replay of</dt>
            <dd>
              <Link href={paths.delivery(d.replay_of)}>the original delivery</Link>
            </dd>
          </>
        )}
        {isOperator && (
          <>
            <dt>Workflow</dt>
            <dd class="break">
              <code>{d.workflow_id}</code>
              {d.temporal_ui_url && (
                <>
                  {' '}
                  <a href={d.temporal_ui_url} target="_blank" rel="noopener noreferrer">
                    Open in Temporal
                  </a>
                </>
              )}
            </dd>
          </>
        )}
      </dl>
      <div class="actions">
        <ReplayButton deliveryId={d.id} />
        {d.status === 'pending' && (
          <button type="button" class="button button-danger-quiet" onClick={() => void cancel()}>
            Cancel delivery
          </button>
        )}
      </div>
      {cancelError && <Notice tone="error">{cancelError.message}</Notice>}
      <section class="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <DeliveryTimeline delivery={d} />
      </section>
    </>
  );
}
