import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { ConflictError } from '../errors/conflict-error';
import type { CancellationToSend } from '../store/cancellation-outbox';
import type { Stores } from '../store/create-stores';
import type { Delivery } from '../store/delivery';
import { withinDeadline } from './within-deadline';

export interface DeliveryCancellerDependencies {
  client: Client;
  stores: Pick<Stores, 'cancellations' | 'deliveries'>;
  logger: Logger;
  /** Longest a request waits to tell Temporal itself before leaving it to the sweep. @default 2_000 */
  sendTimeoutMs?: number;
}

/** Cancels told to Temporal at once by one pass of the sweep. */
const SWEEP_PAGE = 200;
const SWEEP_CONCURRENCY = 16;

/**
 * Stops pending deliveries. Postgres first, in one statement however many there are: the reason the customer sees
 * is ours ("webhook deleted"), and since every attempt reads it before sending, no further attempt is made from that
 * moment. Telling Temporal (whose workflow then finishes an attempt in flight, records it, and ends its wait early)
 * happens after, bounded in time for one delivery and in the background, in pages, for many.
 */
export class DeliveryCanceller {
  constructor(private readonly deps: DeliveryCancellerDependencies) {}

  /** Cancels one pending delivery and answers it as it now stands; a delivery already final is a conflict. */
  async cancelPending(delivery: Delivery, reason: string): Promise<Delivery> {
    if (delivery.status !== 'pending') throw new ConflictError(`The delivery is already ${delivery.status}.`);
    if (await this.deps.stores.cancellations.cancel(delivery.id, reason)) {
      const deadline = Date.now() + (this.deps.sendTimeoutMs ?? 2_000);
      await this.send([{ deliveryId: delivery.id, workflowId: delivery.workflowId }], deadline);
    }
    return (await this.deps.stores.deliveries.findById(delivery.id))!;
  }

  /** Stops every pending delivery of these webhooks (a webhook, route or project was disabled or deleted). */
  async cancelPendingForWebhooks(webhookIds: string[], reason: string): Promise<number> {
    return this.deps.stores.cancellations.cancelForWebhooks(webhookIds, reason);
  }

  /** One pass of the background sweep: tells Temporal about the oldest cancels still to send. */
  async sendPendingCancels(): Promise<number> {
    const page = await this.deps.stores.cancellations.listToSend(SWEEP_PAGE);
    if (page.length === 0) return 0;
    const sent = await this.send(page, Date.now() + 10_000);
    if (sent > 0) this.deps.logger.info({ sent, of: page.length }, 'told Temporal of cancelled deliveries');
    return sent;
  }

  /** Cancels the workflows it can before the deadline and marks those sent; the rest wait for the next sweep. */
  private async send(cancels: readonly CancellationToSend[], deadline: number): Promise<number> {
    const sent: string[] = [];
    let next = 0;
    let unreachable = false;
    const lane = async () => {
      while (next < cancels.length && !unreachable) {
        const cancel = cancels[next++]!;
        try {
          await withinDeadline(this.deps.client, deadline, () =>
            this.deps.client.workflow.getHandle(cancel.workflowId).cancel(),
          );
          sent.push(cancel.deliveryId);
        } catch (err) {
          // Already closed or never started: nothing to tell. Anything else: Temporal is away or slow, try later.
          if (err instanceof WorkflowNotFoundError) {
            sent.push(cancel.deliveryId);
            continue;
          }
          unreachable = true;
          this.deps.logger.warn(
            { err, workflowId: cancel.workflowId },
            'could not cancel delivery workflows yet; the attempt checks Postgres first, and the sweep tries again',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, cancels.length) }, lane));
    await this.deps.stores.cancellations.markSent(sent);
    return sent.length;
  }
}
