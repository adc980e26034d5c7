import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Database } from '../db/create-database';
import { DeliveryStore, type Delivery, type DeliveryStatus } from '../store/delivery-store';

/**
 * A workflow terminated (or timed out) in Temporal runs no code of ours, so it cannot record its end. This brings
 * Postgres in line with Temporal: on read for one delivery, and in a periodic sweep over recently closed workflows.
 */
export class DeliveryReconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private sweptUntil: Date;

  constructor(
    private readonly client: Client,
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly options: { intervalMs?: number; lookBackMs?: number } = {},
  ) {
    this.sweptUntil = new Date(Date.now() - (options.lookBackMs ?? 24 * 60 * 60_000));
  }

  /** Settles one pending delivery whose workflow has closed without recording it; returns the current row. */
  async reconcile(delivery: Delivery): Promise<Delivery> {
    if (delivery.status !== 'pending' || !delivery.workflowStartedAt) return delivery;
    let status: string;
    try {
      status = (await this.client.workflow.getHandle(delivery.workflowId).describe()).status.name;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return delivery;
      throw err;
    }
    const settled = settlementFor(status);
    if (!settled) return delivery;
    await new DeliveryStore(this.db).finish(delivery.id, settled.status, settled.reason);
    this.logger.info(
      { deliveryId: delivery.id, workflowId: delivery.workflowId, temporalStatus: status },
      'reconciled delivery with Temporal',
    );
    return (await new DeliveryStore(this.db).findById(delivery.id))!;
  }

  /** Finds workflows closed without our code running since the last sweep and settles their deliveries. */
  async sweepOnce(): Promise<number> {
    const since = new Date(this.sweptUntil.getTime() - 60_000);
    const startedAt = new Date();
    const query = `WorkflowType = 'deliveryWorkflow' AND ExecutionStatus IN ('Terminated', 'TimedOut') AND CloseTime > '${since.toISOString()}'`;
    let settledCount = 0;
    for await (const execution of this.client.workflow.list({ query })) {
      const delivery = await this.db('deliveries')
        .where({ workflow_id: execution.workflowId, status: 'pending' })
        .first('id');
      if (!delivery) continue;
      const settled = settlementFor(execution.status.name)!;
      if (await new DeliveryStore(this.db).finish(delivery.id, settled.status, settled.reason)) settledCount++;
    }
    this.sweptUntil = startedAt;
    if (settledCount > 0) this.logger.info({ settled: settledCount }, 'reconciled deliveries closed in Temporal');
    return settledCount;
  }

  start(): void {
    const tick = () => {
      this.running = this.sweepOnce()
        .catch((err) => this.logger.warn({ err }, 'reconciliation sweep failed; retrying on the next tick'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs ?? 30_000);
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs ?? 30_000);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/** What a closed workflow means for a delivery still pending in Postgres. */
function settlementFor(
  temporalStatus: string,
): { status: Exclude<DeliveryStatus, 'pending'>; reason: string } | undefined {
  switch (temporalStatus) {
    case 'TERMINATED':
      return { status: 'cancelled', reason: 'terminated in Temporal' };
    case 'CANCELLED':
      return { status: 'cancelled', reason: 'cancelled in Temporal' };
    case 'TIMED_OUT':
      return { status: 'failed', reason: 'workflow timed out in Temporal' };
    case 'FAILED':
      return { status: 'failed', reason: 'workflow failed in Temporal' };
    default:
      return undefined;
  }
}
