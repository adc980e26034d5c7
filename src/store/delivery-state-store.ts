import { DELIVERY_STATUSES, type DeliveryStatus } from '../../workflows/delivery-status';
import type { Database } from '../db/create-database';

/** The state of all deliveries, as the metrics report it. */
export interface DeliveryState {
  byStatus: Record<DeliveryStatus, number>;
  /** Live webhooks whose attempts failed since their last success (at least one). */
  failingWebhooks: number;
  /** The longest run of failures since a success, over all live webhooks. */
  maxConsecutiveFailures: number;
  /** The webhooks failing most in a row, worst first (only as many as asked for). */
  worst: Array<{ webhookId: string; failures: number }>;
}

/**
 * The aggregates behind the delivery-state gauges: whole-table reads, so they run in the background at a fixed
 * interval (DeliveryStateGauges), never per scrape, inside a statement timeout.
 */
export class DeliveryStateStore {
  constructor(private readonly db: Database) {}

  async read(options: { worst: number; statementTimeoutMs: number }): Promise<DeliveryState> {
    return this.db.transaction(async (trx) => {
      await trx.raw(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.statementTimeoutMs))}`);
      const statuses: Array<{ status: string; n: string }> = await trx('deliveries')
        .select('status')
        .count({ n: '*' })
        .groupBy('status');
      const failing = await trx.raw<{ rows: Array<{ webhook_id: string; n: string; failing: string }> }>(
        `SELECT a.webhook_id, count(*) AS n, count(*) OVER () AS failing
           FROM attempts a
           JOIN webhooks w ON w.id = a.webhook_id AND w.deleted_at IS NULL
          WHERE a.status NOT IN ('success', 'pending')
            AND a.created_at > COALESCE((SELECT max(s.created_at) FROM attempts s
                                          WHERE s.webhook_id = a.webhook_id AND s.status = 'success'), '-infinity')
          GROUP BY a.webhook_id
          ORDER BY n DESC
          LIMIT ?`,
        [Math.max(1, options.worst)],
      );
      const rows = failing.rows;
      return {
        byStatus: Object.fromEntries(
          DELIVERY_STATUSES.map((status) => [status, Number(statuses.find((r) => r.status === status)?.n ?? 0)]),
        ) as Record<DeliveryStatus, number>,
        failingWebhooks: Number(rows[0]?.failing ?? 0),
        maxConsecutiveFailures: Number(rows[0]?.n ?? 0),
        worst: rows.slice(0, options.worst).map((row) => ({ webhookId: row.webhook_id, failures: Number(row.n) })),
      };
    });
  }
}
