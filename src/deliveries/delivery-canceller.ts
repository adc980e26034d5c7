import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Database } from '../db/create-database';
import { DeliveryStore, type Delivery } from '../store/delivery-store';

/**
 * Stops pending deliveries: Postgres first (so the reason the customer sees is ours, e.g. "webhook deleted"), then
 * Temporal, whose workflow finishes an attempt in flight, records it, and makes no further attempt.
 */
export class DeliveryCanceller {
  constructor(
    private readonly client: Client,
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  /** Returns false when the delivery was no longer pending. */
  async cancel(delivery: Pick<Delivery, 'id' | 'workflowId'>, reason: string): Promise<boolean> {
    const changed = await new DeliveryStore(this.db).finish(delivery.id, 'cancelled', reason);
    await this.cancelWorkflow(delivery.workflowId);
    return changed;
  }

  /** Stops every pending delivery of these webhooks (a webhook, route or project was disabled or deleted). */
  async cancelPendingForWebhooks(webhookIds: string[], reason: string): Promise<number> {
    const pending = await new DeliveryStore(this.db).listPendingForWebhooks(webhookIds);
    let cancelled = 0;
    for (const delivery of pending) {
      if (await this.cancel(delivery, reason)) cancelled++;
    }
    return cancelled;
  }

  private async cancelWorkflow(workflowId: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(workflowId).cancel();
    } catch (err) {
      // Already closed or never started: the Postgres status is what stops it (the workflow checks before each attempt).
      if (err instanceof WorkflowNotFoundError) return;
      this.logger.warn({ err, workflowId }, 'could not cancel delivery workflow; it stops before its next attempt');
    }
  }
}
