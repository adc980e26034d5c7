import { SingleBar, Presets } from 'cli-progress';
import { CliUsageError, requiredFlag, type CliCommand } from './cli-command';

const POLL_MS = 1_000;

function list(value: string | boolean | undefined): string[] | undefined {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : undefined;
}

/**
 * `bulk-replay`: replays a webhook's failed deliveries in a time window, as a durable job on the server; this
 * command starts it (or counts, with --dry-run) and follows its progress. Ctrl-C stops following, not the job.
 */
export const bulkReplayCommand: CliCommand = {
  name: 'bulk-replay',
  summary: "Replay a webhook's failed deliveries in a time window, with a progress bar.",
  usage:
    '--webhook <id> --from <ISO time> --to <ISO time> [--status failed,cancelled] [--event-type a,b] [--rate 10] [--dry-run] [--no-wait]',
  needs: 'api',
  options: {
    webhook: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    status: { type: 'string' },
    'event-type': { type: 'string' },
    rate: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'no-wait': { type: 'boolean' },
  },
  async run(api, values, output) {
    const webhook = requiredFlag(values, 'webhook');
    const rate = values.rate === undefined ? undefined : Number(values.rate);
    if (rate !== undefined && !Number.isInteger(rate))
      throw new CliUsageError('--rate must be a whole number of replays per second');
    const body = {
      from: requiredFlag(values, 'from'),
      to: requiredFlag(values, 'to'),
      statuses: list(values.status),
      event_types: list(values['event-type']),
      rate_per_second: rate,
      dry_run: values['dry-run'] === true,
    };
    const answer = await api.request('POST', `/webhooks/${encodeURIComponent(webhook)}/replays`, body);
    if (body.dry_run) {
      output.out(`count ${answer.data.count}`);
      output.err(answer.message);
      return;
    }
    const job = answer.data as { id: string; total: number };
    output.out(`job_id ${job.id}`);
    output.err(`${answer.message} Follow it: GET /v1/replay-jobs/${job.id}`);
    if (values['no-wait'] === true || job.total === 0) return;

    const bar = new SingleBar(
      {
        format: 'replaying [{bar}] {value}/{total} | {replayed} replayed, {skipped} skipped | {status}',
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(job.total, 0, { replayed: 0, skipped: 0, status: 'running' });
    try {
      for (;;) {
        const current = await api.request('GET', `/replay-jobs/${job.id}`);
        bar.update(current.processed, { replayed: current.replayed, skipped: current.skipped, status: current.status });
        if (current.status !== 'running') {
          bar.stop();
          output.out(`status ${current.status}`);
          output.out(`replayed ${current.replayed}`);
          output.out(`skipped ${current.skipped}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } finally {
      bar.stop();
    }
  },
};
