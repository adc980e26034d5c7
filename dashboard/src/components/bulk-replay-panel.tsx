import { useId, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { ReplayJob, Written } from '../api/api-types';
import { fromDateTimeLocal, toDateTimeLocal } from '../format/date-time-local';
import { usePolling } from '../hooks/use-polling';
import { useSession } from '../session/session-context';
import { Notice } from './notice';
import { TextField } from './text-field';

const REPLAYABLE_STATUSES = ['failed', 'cancelled'] as const;

/**
 * Operators' bulk replay: count a window's failed (or cancelled) deliveries with a dry run, start a durable,
 * rate-limited replay job, and follow its progress until it ends.
 */
export function BulkReplayPanel({ webhookId }: { webhookId: string }) {
  const { api } = useSession();
  const id = useId();
  const now = new Date();
  const [from, setFrom] = useState(toDateTimeLocal(new Date(now.getTime() - 24 * 3600 * 1000)));
  const [to, setTo] = useState(toDateTimeLocal(new Date(now.getTime() + 60_000)));
  const [statuses, setStatuses] = useState<string[]>(['failed']);
  const [rate, setRate] = useState('10');
  const [count, setCount] = useState<number | undefined>();
  const [job, setJob] = useState<ReplayJob | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  const body = (dryRun: boolean) => ({
    from: fromDateTimeLocal(from),
    to: fromDateTimeLocal(to),
    statuses,
    rate_per_second: Number(rate),
    dry_run: dryRun,
  });
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };
  const countDeliveries = () =>
    run(async () => {
      const answer = await api.post<Written<{ count: number }>>(`/v1/webhooks/${webhookId}/replays`, body(true));
      setCount(answer.data.count);
    });
  const start = () =>
    run(async () => {
      const answer = await api.post<Written<ReplayJob>>(`/v1/webhooks/${webhookId}/replays`, body(false));
      setJob(answer.data);
    });
  const cancel = () =>
    run(async () => {
      if (!job) return;
      const answer = await api.post<Written<ReplayJob>>(`/v1/replay-jobs/${job.id}/cancel`);
      setJob(answer.data);
    });
  usePolling(job?.status === 'running', 1000, async () => {
    if (job) setJob(await api.get<ReplayJob>(`/v1/replay-jobs/${job.id}`));
  });
  const toggleStatus = (status: string, on: boolean) =>
    setStatuses((current) => (on ? [...current, status] : current.filter((s) => s !== status)));

  return (
    <details class="panel bulk-replay">
      <summary class="panel-summary">Bulk replay</summary>
      <p class="hint">
        Send a time window's finished deliveries again, each on the full schedule. Deliveries that already have a
        successful or pending replay are skipped.
      </p>
      {error && <Notice tone="error">{error.message}</Notice>}
      <div class="form-grid">
        <TextField
          label="From"
          name="from"
          type="datetime-local"
          value={from}
          onInput={setFrom}
          errors={error?.forField('from')}
        />
        <TextField
          label="To"
          name="to"
          type="datetime-local"
          value={to}
          onInput={setTo}
          errors={error?.forField('to')}
        />
        <fieldset class="field">
          <legend>Deliveries that ended</legend>
          {REPLAYABLE_STATUSES.map((status) => (
            <label key={status} class="inline-check">
              <input
                type="checkbox"
                checked={statuses.includes(status)}
                onChange={(event) => toggleStatus(status, event.currentTarget.checked)}
              />
              {status}
            </label>
          ))}
        </fieldset>
        <TextField
          label="Rate (deliveries per second)"
          name="rate_per_second"
          type="number"
          value={rate}
          onInput={setRate}
          errors={error?.forField('rate_per_second')}
        />
      </div>
      <div class="form-actions form-actions-start">
        <button type="button" class="button" disabled={busy} onClick={countDeliveries}>
          Count deliveries
        </button>
        <button
          type="button"
          class="button button-primary"
          disabled={busy || job?.status === 'running'}
          onClick={start}
        >
          Start replay
        </button>
      </div>
      {count !== undefined && !job && (
        <p role="status">
          {count} {count === 1 ? 'delivery' : 'deliveries'} would be replayed.
        </p>
      )}
      {job && (
        <div class="replay-progress" role="status">
          <label for={`${id}-progress`}>
            Replay {job.status}: {job.processed} of {job.total} processed ({job.replayed} replayed, {job.skipped}{' '}
            skipped)
          </label>
          <progress id={`${id}-progress`} max={Math.max(job.total, 1)} value={job.processed} />
          <div class="form-actions form-actions-start">
            {job.status === 'running' && (
              <button type="button" class="button button-danger" disabled={busy} onClick={cancel}>
                Cancel replay
              </button>
            )}
            {job.temporal_ui_url && (
              <a class="button" href={job.temporal_ui_url} target="_blank" rel="noopener noreferrer">
                Open job in Temporal
              </a>
            )}
          </div>
        </div>
      )}
    </details>
  );
}
