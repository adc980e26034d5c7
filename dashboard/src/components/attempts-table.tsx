import type { AttemptSummary } from '../api/api-types';
import { formatDuration } from '../format/format-duration';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { StatusBadge } from './status-badge';
import { TimeAgo } from './time-ago';

/** Attempt records: status, event, HTTP code, duration, attempt number and time; each opens its detail. */
export function AttemptsTable({ attempts, caption }: { attempts: AttemptSummary[]; caption: string }) {
  return (
    <table class="table responsive-table attempts-table">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Event</th>
          <th scope="col">HTTP</th>
          <th scope="col">Duration</th>
          <th scope="col">Attempt</th>
          <th scope="col">Time</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((attempt) => (
          <tr key={attempt.id} data-attempt-id={attempt.id}>
            <td data-label="Status">
              <StatusBadge status={attempt.status} />
            </td>
            <td data-label="Event">
              <Link href={paths.attempt(attempt.webhook_id, attempt.id)}>
                <code>{attempt.event_type}</code>
                <span class="visually-hidden">, attempt {attempt.attempt_number} details</span>
              </Link>
            </td>
            <td data-label="HTTP">{attempt.http_status_code ?? '—'}</td>
            <td data-label="Duration">{formatDuration(attempt.duration_ms)}</td>
            <td data-label="Attempt">{attempt.attempt_number}</td>
            <td data-label="Time">
              <TimeAgo iso={attempt.created_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
