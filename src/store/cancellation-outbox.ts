import type { Database } from '../db/create-database';

/** A delivery cancelled in Postgres whose workflow has still to be told. */
export interface CancellationToSend {
  deliveryId: string;
  workflowId: string;
}

/**
 * Postgres as the outbox of workflow cancels: cancelling a delivery is one write here, which the attempt checks
 * before it sends, so it takes effect at once; telling Temporal (which ends the workflow's wait early) is left to a
 * background sweep, in pages, so a request never waits on Temporal or on thousands of deliveries.
 */
export class CancellationOutbox {
  constructor(private readonly db: Database) {}

  /** Cancels one pending delivery; false when it was no longer pending. */
  async cancel(deliveryId: string, reason: string): Promise<boolean> {
    const count = await this.pending().where({ id: deliveryId }).update(this.cancelled(reason));
    return count > 0;
  }

  /** Cancels every pending delivery of these webhooks in one statement; answers how many. */
  async cancelForWebhooks(webhookIds: readonly string[], reason: string): Promise<number> {
    if (webhookIds.length === 0) return 0;
    return this.pending().whereIn('webhook_id', webhookIds).update(this.cancelled(reason));
  }

  /** The oldest cancels still to send, at most `limit`. */
  async listToSend(limit: number): Promise<CancellationToSend[]> {
    const rows: Array<{ id: string; workflow_id: string }> = await this.db('deliveries')
      .whereNotNull('cancel_requested_at')
      .orderBy('cancel_requested_at')
      .limit(limit)
      .select('id', 'workflow_id');
    return rows.map((row) => ({ deliveryId: row.id, workflowId: row.workflow_id }));
  }

  /** Temporal has them (or had nothing to cancel). */
  async markSent(deliveryIds: readonly string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.db('deliveries').whereIn('id', deliveryIds).update({ cancel_requested_at: null });
  }

  async countToSend(): Promise<number> {
    const [row] = await this.db('deliveries').whereNotNull('cancel_requested_at').count<{ n: string }[]>({ n: '*' });
    return Number(row!.n);
  }

  private pending() {
    return this.db('deliveries').where({ status: 'pending' });
  }

  private cancelled(reason: string) {
    return {
      status: 'cancelled',
      status_reason: reason,
      next_attempt_at: null,
      finished_at: this.db.fn.now(),
      updated_at: this.db.fn.now(),
      // A workflow that never started needs no cancel: the outbox sweeper starts pending deliveries only.
      cancel_requested_at: this.db.raw('CASE WHEN workflow_started_at IS NULL THEN NULL ELSE now() END'),
    };
  }
}
