import { Counter, type Registry } from 'prom-client';
import type { PrunedCounts } from '../store/retention-store';

/** What retention removed, by table (`RETENTION_DAYS`, or `npm run cli -- prune` in that process). */
export class RetentionMetrics {
  private readonly removed: Counter<'table'>;

  constructor(registry: Registry) {
    this.removed = new Counter({
      name: 'tidehook_pruned_total',
      help: 'Rows deleted by retention, by table (events, deliveries, attempts).',
      labelNames: ['table'],
      registers: [registry],
    });
    for (const table of ['events', 'deliveries', 'attempts']) this.removed.inc({ table }, 0);
  }

  pruned(counts: PrunedCounts): void {
    if (counts.events > 0) this.removed.inc({ table: 'events' }, counts.events);
    if (counts.deliveries > 0) this.removed.inc({ table: 'deliveries' }, counts.deliveries);
    if (counts.attempts > 0) this.removed.inc({ table: 'attempts' }, counts.attempts);
  }
}
