import { DELIVERY_SCHEDULE } from '../../../workflows/delivery-schedule';
import type { AttemptSummary, Delivery } from '../api/api-types';
import { formatDelay, formatDuration } from '../format/format-duration';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { StatusBadge } from './status-badge';
import { ExactTime, TimeAgo } from './time-ago';

/**
 * A delivery's attempts against the 12-step schedule (compiled in from `workflows/delivery-schedule.ts`, the
 * same list the workflow copies when it starts): what each made step did, when the next is due, and which steps
 * a finished delivery never needed.
 */
export function DeliveryTimeline({ delivery }: { delivery: Delivery }) {
  const byNumber = new Map<number, AttemptSummary>();
  for (const attempt of delivery.attempts) byNumber.set(attempt.attempt_number, attempt);
  const steps = Math.max(delivery.max_attempts, DELIVERY_SCHEDULE.length);
  const nextNumber = delivery.status === 'pending' ? delivery.attempts_count + 1 : undefined;
  return (
    <ol class="timeline">
      {Array.from({ length: steps }, (_, index) => {
        const number = index + 1;
        const attempt = byNumber.get(number);
        const delay = DELIVERY_SCHEDULE[index];
        const wait =
          delay === undefined ? '' : number === 1 ? 'right away' : `${formatDelay(delay)} after attempt ${number - 1}`;
        let state: 'made' | 'next' | 'later' | 'skipped' = 'later';
        if (attempt) state = 'made';
        else if (number === nextNumber) state = 'next';
        else if (delivery.status !== 'pending') state = 'skipped';
        return (
          <li key={number} class={`timeline-step timeline-${state}`}>
            <div class="timeline-number" aria-hidden="true">
              {number}
            </div>
            <div class="timeline-body">
              <p class="timeline-title">
                Attempt {number} <span class="muted">· {wait}</span>
              </p>
              {attempt && (
                <p>
                  <StatusBadge status={attempt.status} />
                  {attempt.http_status_code !== null && ` HTTP ${attempt.http_status_code}`}
                  {` · ${formatDuration(attempt.duration_ms)} · `}
                  <ExactTime iso={attempt.created_at} />
                  {' · '}
                  <Link href={paths.attempt(attempt.webhook_id, attempt.id)}>
                    Details<span class="visually-hidden"> of attempt {number}</span>
                  </Link>
                </p>
              )}
              {state === 'next' && (
                <p>
                  {delivery.next_attempt_at ? (
                    <>
                      Next attempt <TimeAgo iso={delivery.next_attempt_at} /> (
                      <ExactTime iso={delivery.next_attempt_at} />)
                    </>
                  ) : (
                    'Under way'
                  )}
                </p>
              )}
              {state === 'later' && <p class="muted">Scheduled if attempt {number - 1} fails</p>}
              {state === 'skipped' && <p class="muted">{delivery.status === 'success' ? 'Not needed' : 'Not made'}</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
