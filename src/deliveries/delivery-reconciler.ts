import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Stores } from '../store/create-stores';
import type { Delivery } from '../store/delivery';
import { DELIVERY_WORKFLOW_TYPE } from './delivery-starter';
import { settlementOfClosedWorkflow } from './settlement-of-closed-workflow';

/**
 * A workflow terminated (or timed out) in Temporal runs no code of ours, so it cannot record its end. This brings
 * Postgres in line with Temporal: on read for one delivery, and in a periodic sweep over recently closed workflows.
 */
export class DeliveryReconciler {
  private sweptUntil: Date;

  constructor(
    private readonly deps: { client: Client; stores: Pick<Stores, 'deliveries'>; logger: Logger },
    options: { lookBackMs?: number } = {},
  ) {
    this.sweptUntil = new Date(Date.now() - (options.lookBackMs ?? 24 * 60 * 60_000));
  }

  /** Settles one pending delivery whose workflow has closed without recording it; returns the current row. */
  async reconcile(delivery: Delivery): Promise<Delivery> {
    if (delivery.status !== 'pending' || !delivery.workflowStartedAt) return delivery;
    let status: string;
    try {
      status = (await this.deps.client.workflow.getHandle(delivery.workflowId).describe()).status.name;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return delivery;
      throw err;
    }
    const settled = settlementOfClosedWorkflow(status);
    if (!settled) return delivery;
    await this.deps.stores.deliveries.finish(delivery.id, settled.status, settled.reason);
    this.deps.logger.info(
      { deliveryId: delivery.id, workflowId: delivery.workflowId, temporalStatus: status },
      'reconciled delivery with Temporal',
    );
    return (await this.deps.stores.deliveries.findById(delivery.id))!;
  }

  /** Finds workflows closed without our code running since the last sweep and settles their deliveries. */
  async sweepOnce(): Promise<number> {
    const since = new Date(this.sweptUntil.getTime() - 60_000);
    const startedAt = new Date();
    const query = `WorkflowType IN ('${DELIVERY_WORKFLOW_TYPE}', 'deliveryWorkflow') AND ExecutionStatus IN ('Terminated', 'TimedOut') AND CloseTime > '${since.toISOString()}'`;
    let settledCount = 0;
    for await (const execution of this.deps.client.workflow.list({ query })) {
      const deliveryId = await this.deps.stores.deliveries.findPendingIdByWorkflowId(execution.workflowId);
      const settled = settlementOfClosedWorkflow(execution.status.name);
      if (!deliveryId || !settled) continue;
      if (await this.deps.stores.deliveries.finish(deliveryId, settled.status, settled.reason)) settledCount++;
    }
    this.sweptUntil = startedAt;
    if (settledCount > 0) this.deps.logger.info({ settled: settledCount }, 'reconciled deliveries closed in Temporal');
    return settledCount;
  }
}
