import type { AttemptSummary, CursorPage } from '../api/api-types';
import { queryString } from '../api/query-string';
import { useResource } from '../hooks/use-resource';
import { summarizeHealth } from '../health/summarize-health';
import { useSession } from '../session/session-context';
import { StatusBadge } from './status-badge';

/** How far back the streak is counted: one page of the attempt history. */
const LOOK_BACK = 100;

/** A webhook's health in the list: its last outcome and how many attempts in a row failed, from its history. */
export function WebhookHealth({ webhookId }: { webhookId: string }) {
  const { api } = useSession();
  const history = useResource(
    () =>
      api.get<CursorPage<AttemptSummary>>(
        `/v1/webhooks/${webhookId}/deliveries${queryString({ 'page[size]': LOOK_BACK })}`,
      ),
    [webhookId],
  );
  if (!history.data) return <span class="muted">{history.error ? 'unknown' : '…'}</span>;
  const health = summarizeHealth(history.data.data, history.data.next_cursor !== null);
  if (!health.lastOutcome) return <span class="muted">No attempts yet</span>;
  return (
    <span class="health">
      <StatusBadge status={health.lastOutcome.status} />{' '}
      {health.failureStreak === 0 ? (
        <span>no failures</span>
      ) : (
        <span class="health-streak">
          {health.capped ? `${LOOK_BACK}+` : health.failureStreak} failure{health.failureStreak === 1 ? '' : 's'} in a
          row
        </span>
      )}
    </span>
  );
}
