import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { RetentionMetrics } from '../metrics/retention-metrics';
import type { EventPosition, PrunedCounts, RetentionStore } from '../store/retention-store';

const DAY_MS = 86_400_000;

export interface HistoryPrunerOptions {
  store: RetentionStore;
  logger?: Logger;
  metrics?: RetentionMetrics;
  /** Deliveries (with their attempts), or events, per statement. @default 1_000 */
  batchSize?: number;
  /** Rest between batches, so pruning never takes the database from deliveries for long. @default 100 */
  pauseMs?: number;
}

export type PruneOutcome =
  | ({ kind: 'pruned'; batches: number; cutoff: Date } & PrunedCounts)
  | ({ kind: 'dry_run'; cutoff: Date } & PrunedCounts)
  /** Another process (an API's background job, or the CLI) is pruning right now. */
  | { kind: 'busy' };

/**
 * Deletes events, deliveries and attempts older than a number of days (ADR 13): finished deliveries whose end is
 * older, with their attempts, then the old events no delivery references any more. In batches with a pause between,
 * skipping anything locked, so deliveries in flight never wait on it; one process at a time (an advisory lock).
 */
export class HistoryPruner {
  private readonly batchSize: number;
  private readonly pauseMs: number;

  constructor(private readonly options: HistoryPrunerOptions) {
    this.batchSize = options.batchSize ?? 1_000;
    this.pauseMs = options.pauseMs ?? 100;
  }

  /** @param signal ends the run between two batches (a shutdown); what was deleted stays deleted. */
  async prune(olderThanDays: number, options: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<PruneOutcome> {
    if (!(olderThanDays > 0)) throw new RangeError('retention must be a positive number of days');
    const cutoff = new Date(Date.now() - olderThanDays * DAY_MS);
    if (options.dryRun) return { kind: 'dry_run', cutoff, ...(await this.options.store.countPrunable(cutoff)) };
    const run = await this.options.store.whileNobodyElsePrunes(() => this.pruneUnderLock(cutoff, options.signal));
    return run.locked ? { kind: 'busy' } : run.result;
  }

  private async pruneUnderLock(cutoff: Date, signal: AbortSignal | undefined): Promise<PruneOutcome> {
    const { store } = this.options;
    const total = { deliveries: 0, attempts: 0, events: 0 };
    let batches = 0;
    const rest = async () => {
      if (this.pauseMs > 0 && !signal?.aborted) await sleep(this.pauseMs, undefined, { signal }).catch(() => undefined);
    };

    for (;;) {
      if (signal?.aborted) return { kind: 'pruned', batches, cutoff, ...total };
      const gone = await store.deleteDeliveryBatch(cutoff, this.batchSize);
      batches++;
      total.deliveries += gone.deliveries;
      total.attempts += gone.attempts;
      this.count(gone);
      if (gone.deliveries < this.batchSize) break;
      await rest();
    }

    let position: EventPosition | null = null;
    for (;;) {
      if (signal?.aborted) break;
      let pass;
      try {
        pass = await store.deleteEventBatch(cutoff, position, this.batchSize);
      } catch (err) {
        // A replay began to reference one of these events meanwhile: keep them all, the next run goes on.
        if ((err as { code?: string }).code !== '23503') throw err;
        this.options.logger?.info({ err }, 'retention: an old event is in use again; the next run goes on');
        break;
      }
      batches++;
      total.events += pass.events;
      this.count({ deliveries: 0, attempts: 0, events: pass.events });
      if (!pass.next) break;
      position = pass.next;
      await rest();
    }
    this.options.logger?.info({ ...total, batches, cutoff }, 'retention: pruned old history');
    return { kind: 'pruned', batches, cutoff, ...total };
  }

  private count(counts: PrunedCounts): void {
    this.options.metrics?.pruned(counts);
  }
}
