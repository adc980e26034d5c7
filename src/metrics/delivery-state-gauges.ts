import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/create-database';

/** How many webhooks the consecutive-failures gauge reports: the worst ones, to bound label cardinality. */
const WORST_WEBHOOKS = 50;

/**
 * Gauges read from Postgres when scraped, so every API process reports the same truth whichever worker did the
 * work: deliveries by status, and the webhooks failing most in a row.
 */
export function registerDeliveryStateGauges(registry: Registry, db: Database): void {
  new Gauge({
    name: 'tidehook_deliveries',
    help: 'Deliveries by status (pending ones are waiting for an attempt or in one).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows: Array<{ status: string; n: string }> = await db('deliveries')
        .select('status')
        .count({ n: '*' })
        .groupBy('status');
      this.reset();
      for (const status of ['pending', 'success', 'failed', 'cancelled']) {
        this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
      }
    },
  });

  new Gauge({
    name: 'tidehook_webhook_consecutive_failures',
    help: `Attempts that failed since the last success, for the ${WORST_WEBHOOKS} webhooks with the most.`,
    labelNames: ['webhook_id'],
    registers: [registry],
    async collect() {
      const result = await db.raw(
        `SELECT a.webhook_id, count(*) AS n
           FROM attempts a
           JOIN webhooks w ON w.id = a.webhook_id AND w.deleted_at IS NULL
          WHERE a.status NOT IN ('success', 'pending')
            AND a.created_at > COALESCE((SELECT max(s.created_at) FROM attempts s WHERE s.webhook_id = a.webhook_id AND s.status = 'success'), '-infinity')
          GROUP BY a.webhook_id
          ORDER BY n DESC
          LIMIT ?`,
        [WORST_WEBHOOKS],
      );
      this.reset();
      for (const row of result.rows as Array<{ webhook_id: string; n: string }>)
        this.set({ webhook_id: row.webhook_id }, Number(row.n));
    },
  });
}
