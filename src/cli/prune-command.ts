import { HistoryPruner } from '../retention/history-pruner';
import { CliUsageError, requiredFlag, type CliCommand } from './cli-command';

/**
 * Retention by hand (ADR 13): what the background job of `RETENTION_DAYS` does, now, with any age. Safe while
 * deliveries run; refuses to run beside another pruner (an API process's job) rather than wait for it.
 */
export const pruneCommand: CliCommand = {
  name: 'prune',
  summary: 'Delete events, deliveries and attempts that ended more than N days ago (pending ones never).',
  usage: '--older-than-days <n> [--dry-run] [--batch-size <n>]',
  needs: 'database',
  options: {
    'older-than-days': { type: 'string' },
    'dry-run': { type: 'boolean' },
    'batch-size': { type: 'string' },
  },
  async run(stores, values, output) {
    const days = Number(requiredFlag(values, 'older-than-days'));
    if (!Number.isInteger(days) || days < 1 || days > 36_500) {
      throw new CliUsageError('--older-than-days must be a whole number of days from 1 to 36500');
    }
    const batchSize = values['batch-size'] === undefined ? 1_000 : Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
      throw new CliUsageError('--batch-size must be a whole number from 1 to 100000');
    }
    const outcome = await new HistoryPruner({ store: stores.retention, batchSize }).prune(days, {
      dryRun: values['dry-run'] === true,
    });
    if (outcome.kind === 'busy') throw new Error('another process is pruning right now; try again when it is done');
    output.out(`deliveries ${outcome.deliveries}`);
    output.out(`attempts ${outcome.attempts}`);
    output.out(`events ${outcome.events}`);
    const what = outcome.kind === 'dry_run' ? 'Would delete' : 'Deleted';
    output.err(
      `${what} what ended before ${outcome.cutoff.toISOString()}; pending deliveries are kept whatever their age.`,
    );
  },
};
