import type { AttemptDetail, Delivery, Webhook } from '../api/api-types';
import { CodeBlock } from '../components/code-block';
import { HeadersTable } from '../components/headers-table';
import { LoadingState } from '../components/loading-state';
import { PageTitle } from '../components/page-title';
import { ReplayButton } from '../components/replay-button';
import { RetryButton } from '../components/retry-button';
import { StatusBadge } from '../components/status-badge';
import { ExactTime } from '../components/time-ago';
import { WebhookCrumbs } from '../components/webhook-crumbs';
import { formatDuration } from '../format/format-duration';
import { useResource } from '../hooks/use-resource';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';

/** One attempt in full: what was sent (headers, payload) and what came back (headers, body), and what to do next. */
export function AttemptPage({ webhookId, attemptId }: { webhookId: string; attemptId: string }) {
  const { api, isOperator } = useSession();
  const webhook = useResource(() => api.get<Webhook>(`/v1/webhooks/${webhookId}`), [webhookId]);
  const attempt = useResource(
    () => api.get<AttemptDetail>(`/v1/webhooks/${webhookId}/deliveries/${attemptId}`),
    [webhookId, attemptId],
  );
  const deliveryId = attempt.data?.delivery_id;
  const delivery = useResource(
    () => (deliveryId ? api.get<Delivery>(`/v1/deliveries/${deliveryId}`) : Promise.resolve(undefined)),
    [deliveryId],
  );
  if (!attempt.data) return <LoadingState error={attempt.error} what="attempt" />;
  const a = attempt.data;
  const title = `Attempt ${a.attempt_number}: ${a.event_type}`;
  return (
    <>
      {webhook.data && (
        <WebhookCrumbs
          routeId={webhook.data.route_id}
          webhook={webhook.data}
          more={[{ label: `Attempt ${a.attempt_number}` }]}
        />
      )}
      <div class="title-row">
        <PageTitle title={title} />
        <StatusBadge status={a.status} />
      </div>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={a.status} />
        </dd>
        <dt>HTTP status</dt>
        <dd>{a.http_status_code ?? '—'}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(a.duration_ms)}</dd>
        <dt>Attempt</dt>
        <dd>
          {a.attempt_number}
          {delivery.data && ` of at most ${delivery.data.max_attempts}`}
        </dd>
        <dt>Started</dt>
        <dd>
          <ExactTime iso={a.started_at ?? a.created_at} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <ExactTime iso={a.finished_at} />
        </dd>
        {a.next_retry_at && (
          <>
            <dt>Next retry</dt>
            <dd>
              <ExactTime iso={a.next_retry_at} />
            </dd>
          </>
        )}
        {a.error_message && (
          <>
            <dt>Error</dt>
            <dd class="break">{a.error_message}</dd>
          </>
        )}
        <dt>Event id</dt>
        <dd>
          <code>{a.event_id}</code>
        </dd>
        <dt>Delivery</dt>
        <dd>
          <Link href={paths.delivery(a.delivery_id)}>
            {delivery.data ? `${delivery.data.status}, ${delivery.data.attempts_count} attempt(s)` : 'Timeline'}
          </Link>
        </dd>
      </dl>
      <div class="actions">
        <RetryButton webhookId={webhookId} attemptId={a.id} />
        <ReplayButton deliveryId={a.delivery_id} onReplayed={() => delivery.reload()} />
        <Link class="button" href={paths.delivery(a.delivery_id)}>
          Delivery timeline
        </Link>
        {isOperator && delivery.data?.temporal_ui_url && (
          <a class="button" href={delivery.data.temporal_ui_url} target="_blank" rel="noopener noreferrer">
            Open workflow in Temporal
          </a>
        )}
      </div>

      <section class="panel" aria-labelledby="request-heading">
        <h2 id="request-heading">Request</h2>
        <h3>Headers</h3>
        <HeadersTable headers={a.request_headers} caption="Request headers" />
        <h3>Payload</h3>
        <CodeBlock text={JSON.stringify(a.payload)} label="Request payload" />
      </section>
      <section class="panel" aria-labelledby="response-heading">
        <h2 id="response-heading">Response</h2>
        <h3>Headers</h3>
        <HeadersTable headers={a.response_headers} caption="Response headers" />
        <h3>Body</h3>
        <CodeBlock text={a.response_body} label="Response body" />
      </section>
    </>
  );
}
