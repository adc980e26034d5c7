import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import { DELIVERY_SEARCH_ATTRIBUTES } from '../../workflows/delivery-search-attributes';
import type { deliveryWorkflow, DeliveryWorkflowInput } from '../../workflows/delivery-workflow';
import type { DeliveryToStart } from '../store/delivery-outbox';
import type { Stores } from '../store/create-stores';
import { targetHostOf } from './target-host';

export interface DeliveryStarterDependencies {
  client: Client;
  taskQueue: string;
  stores: Pick<Stores, 'outbox'>;
  logger: Logger;
}

const START_CONCURRENCY = 32;

/**
 * Hands committed deliveries to Temporal. Starting is idempotent on the workflow id, so the outbox sweeper, a
 * retried trigger and a second API process can all call it for the same delivery.
 */
export class DeliveryStarter {
  constructor(private readonly deps: DeliveryStarterDependencies) {}

  /** Starts the workflows of deliveries already committed to Postgres, by id. Returns how many started. */
  async startCommitted(deliveryIds: readonly string[]): Promise<number> {
    return this.start(await this.deps.stores.outbox.listToStart(deliveryIds));
  }

  /** Starts what it can; whatever fails stays unstarted in Postgres for the sweeper. Returns how many started. */
  async start(deliveries: readonly DeliveryToStart[]): Promise<number> {
    const started: string[] = [];
    let next = 0;
    const lane = async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        try {
          await this.startOne(delivery);
          started.push(delivery.deliveryId);
        } catch (err) {
          this.deps.logger.warn(
            { err, deliveryId: delivery.deliveryId },
            'could not start delivery workflow; the outbox sweeper retries',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, deliveries.length) }, lane));
    await this.deps.stores.outbox.markWorkflowStarted(started);
    return started.length;
  }

  private async startOne(delivery: DeliveryToStart): Promise<void> {
    const input: DeliveryWorkflowInput = {
      deliveryId: delivery.deliveryId,
      webhookId: delivery.webhookId,
      routeId: delivery.routeId,
      projectId: delivery.projectId,
      eventType: delivery.eventType,
      schedule: [...DELIVERY_SCHEDULE],
    };
    try {
      await this.deps.client.workflow.start<typeof deliveryWorkflow>('deliveryWorkflow', {
        taskQueue: this.deps.taskQueue,
        workflowId: delivery.workflowId,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // A workflow task handed to a worker that then dies is retried after this long (default 10 s): keep a
        // crash between an attempt's end and its timer from stretching the step. Delivery tasks take milliseconds.
        workflowTaskTimeout: '5s',
        typedSearchAttributes: [
          { key: DELIVERY_SEARCH_ATTRIBUTES.webhookId, value: delivery.webhookId },
          { key: DELIVERY_SEARCH_ATTRIBUTES.routeId, value: delivery.routeId },
          { key: DELIVERY_SEARCH_ATTRIBUTES.projectId, value: delivery.projectId },
          { key: DELIVERY_SEARCH_ATTRIBUTES.eventType, value: delivery.eventType },
          { key: DELIVERY_SEARCH_ATTRIBUTES.deliveryStatus, value: 'pending' },
        ],
        staticSummary: `${delivery.eventType} → ${targetHostOf(delivery.url)}`,
        staticDetails: `delivery ${delivery.deliveryId}\nwebhook ${delivery.webhookId}\nroute ${delivery.routeId}`,
      });
    } catch (err) {
      // Already ran to its end: it was started before, which is all we need to know.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}
