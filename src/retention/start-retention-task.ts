import type { Logger } from 'pino';
import type { RetentionMetrics } from '../metrics/retention-metrics';
import type { RetentionStore } from '../store/retention-store';
import { startPeriodicTask, type PeriodicTask } from '../system/periodic-task';
import { HistoryPruner } from './history-pruner';

/** How often an API process tries to prune (only one prunes at a time; a run with nothing to do is one statement). */
export const RETENTION_INTERVAL_MS = 10 * 60_000;

/**
 * The background job of `RETENTION_DAYS` (ADR 13), in every API process: the first run a minute after start, then
 * every ten minutes, each until nothing older is left; only one process prunes at a time.
 */
export function startRetentionTask(options: {
  days: number;
  store: RetentionStore;
  metrics?: RetentionMetrics;
  logger: Logger;
  /** @default RETENTION_INTERVAL_MS */
  intervalMs?: number;
  /** @default 60_000 */
  firstAfterMs?: number;
  /** @default HistoryPruner's */
  pauseMs?: number;
}): PeriodicTask {
  const logger = options.logger.child({ component: 'retention' });
  const pruner = new HistoryPruner({
    store: options.store,
    logger,
    metrics: options.metrics,
    pauseMs: options.pauseMs,
  });
  return startPeriodicTask(
    'retention',
    options.intervalMs ?? RETENTION_INTERVAL_MS,
    (signal) => pruner.prune(options.days, { signal }),
    logger,
    options.firstAfterMs ?? 60_000,
  );
}
