import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { ConflictError } from '../errors/conflict-error';
import type { Stores } from '../store/create-stores';
import type { Delivery } from '../store/delivery';

/**
 * Stops pending deliveries: Postgres first (so the reason the customer sees is ours, e.g. "webhook deleted"), then
 * Temporal, whose workflow finishes an attempt in flight, records it, and makes no further attempt.
 */
export class DeliveryCanceller {
  constructor(private readonly deps: { client: Client; stores: Pick<Stores, 'deliveries'>; logger: Logger }) {}

  /** Cancels one pending delivery and answers it as it now stands; a delivery already final is a conflict. */
  async cancelPending(delivery: Delivery, reason: string): Promise<Delivery> {
    if (delivery.status !== 'pending') throw new ConflictError(`The delivery is already ${delivery.status}.`);
    await this.cancel(delivery, reason);
    return (await this.deps.stores.deliveries.findById(delivery.id))!;
  }

  /** Stops every pending delivery of these webhooks (a webhook, route or project was disabled or deleted). */
  async cancelPendingForWebhooks(webhookIds: string[], reason: string): Promise<number> {
    const pending = await this.deps.stores.deliveries.listPendingForWebhooks(webhookIds);
    let cancelled = 0;
    for (const delivery of pending) {
      if (await this.cancel(delivery, reason)) cancelled++;
    }
    return cancelled;
  }

  /** Returns false when the delivery was no longer pending. */
  private async cancel(delivery: Pick<Delivery, 'id' | 'workflowId'>, reason: string): Promise<boolean> {
    const changed = await this.deps.stores.deliveries.finish(delivery.id, 'cancelled', reason);
    await this.cancelWorkflow(delivery.workflowId);
    return changed;
  }

  private async cancelWorkflow(workflowId: string): Promise<void> {
    try {
      await this.deps.client.workflow.getHandle(workflowId).cancel();
    } catch (err) {
      // Already closed or never started: the Postgres status is what stops it (the workflow checks before each attempt).
      if (err instanceof WorkflowNotFoundError) return;
      this.deps.logger.warn(
        { err, workflowId },
        'could not cancel delivery workflow; it stops before its next attempt',
      );
    }
  }
}
