import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DeliveryOutcome } from '../../workflows/delivery-workflow-input';
import type { Stores } from '../store/create-stores';
import type { Delivery } from '../store/delivery';
import { DELIVERY_WORKFLOW_TYPE } from './delivery-starter';
import { settlementOfClosedWorkflow } from './settlement-of-closed-workflow';
import { withinDeadline } from './within-deadline';

/** A delivery as Postgres holds it, and whether Temporal could be asked about it just now. */
export interface InspectedDelivery {
  delivery: Delivery;
  /** `true` checked, `false` Temporal did not answer in time, `null` not asked (nothing to check: not pending). */
  temporalReachable: boolean | null;
}

export interface DeliveryReconcilerDependencies {
  client: Client;
  stores: Pick<Stores, 'deliveries' | 'outbox'>;
  logger: Logger;
  /** Longest a read waits for Temporal before answering from Postgres alone. @default 2_000 */
  askTimeoutMs?: number;
  /** How far back the first sweep looks for workflows closed in Temporal. @default 24 h */
  lookBackMs?: number;
}

/** Pending deliveries whose next attempt is this late are checked against Temporal by the sweep. */
const OVERDUE_MS = 5 * 60_000;

/**
 * Brings Postgres in line with Temporal where our code could not record an end itself: a workflow terminated or
 * timed out in Temporal runs none of it, and a workflow that completed or failed while its last write was lost
 * must not stay `pending` forever. On read for one delivery (bounded in time: with Temporal away, the read answers
 * from Postgres and says so), and in a periodic sweep over recently closed workflows and overdue deliveries.
 */
export class DeliveryReconciler {
  private sweptUntil: Date;

  constructor(private readonly deps: DeliveryReconcilerDependencies) {
    this.sweptUntil = new Date(Date.now() - (deps.lookBackMs ?? 24 * 60 * 60_000));
  }

  /** Settles one pending delivery whose workflow has closed without recording it; returns the current row. */
  async reconcile(delivery: Delivery): Promise<Delivery> {
    return (await this.inspect(delivery)).delivery;
  }

  async inspect(delivery: Delivery): Promise<InspectedDelivery> {
    if (delivery.status !== 'pending' || !delivery.workflowStartedAt) return { delivery, temporalReachable: null };
    const deadline = Date.now() + (this.deps.askTimeoutMs ?? 2_000);
    try {
      const settled = await withinDeadline(this.deps.client, deadline, () => this.settle(delivery));
      return { delivery: settled ?? delivery, temporalReachable: true };
    } catch (err) {
      this.deps.logger.warn(
        { err, deliveryId: delivery.id },
        'Temporal did not answer; the delivery is shown as Postgres has it',
      );
      return { delivery, temporalReachable: false };
    }
  }

  /** One pass: workflows closed in Temporal without our code since the last pass, and overdue deliveries. */
  async sweepOnce(): Promise<number> {
    const since = new Date(this.sweptUntil.getTime() - 60_000);
    const startedAt = new Date();
    const types = `'${DELIVERY_WORKFLOW_TYPE}', 'deliveryWorkflow'`;
    const query = `WorkflowType IN (${types}) AND ExecutionStatus IN ('Terminated', 'TimedOut') AND CloseTime > '${since.toISOString()}'`;
    let settledCount = 0;
    for await (const execution of this.deps.client.workflow.list({ query })) {
      const deliveryId = await this.deps.stores.deliveries.findPendingIdByWorkflowId(execution.workflowId);
      const settled = settlementOfClosedWorkflow(execution.status.name);
      if (!deliveryId || !settled) continue;
      if (await this.deps.stores.deliveries.finish(deliveryId, settled.status, settled.reason)) settledCount++;
    }
    const overdue = await this.deps.stores.deliveries.listOverdue({
      dueBefore: new Date(startedAt.getTime() - OVERDUE_MS),
      limit: 100,
    });
    for (const delivery of overdue) {
      if (await this.settle(delivery, { restartIfMissing: true })) settledCount++;
    }
    this.sweptUntil = startedAt;
    if (settledCount > 0) this.deps.logger.info({ settled: settledCount }, 'reconciled deliveries closed in Temporal');
    return settledCount;
  }

  /**
   * The delivery settled from its closed workflow, or undefined while the workflow runs. An overdue delivery whose
   * workflow does not exist at all (Temporal lost it, or its namespace was reset) goes back to the outbox, which
   * starts it again: its recorded attempts are not resent.
   */
  private async settle(
    delivery: Delivery,
    options: { restartIfMissing?: boolean } = {},
  ): Promise<Delivery | undefined> {
    const handle = this.deps.client.workflow.getHandle(delivery.workflowId);
    let status: string;
    try {
      status = (await handle.describe()).status.name;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      if (options.restartIfMissing && (await this.deps.stores.outbox.markUnstarted(delivery.id))) {
        this.deps.logger.warn(
          { deliveryId: delivery.id, workflowId: delivery.workflowId },
          'the workflow of a pending delivery is missing in Temporal; the outbox starts it again',
        );
      }
      return undefined;
    }
    const result = status === 'COMPLETED' ? ((await handle.result()) as DeliveryOutcome) : undefined;
    const settled = settlementOfClosedWorkflow(status, result);
    if (!settled) return undefined;
    await this.deps.stores.deliveries.finish(delivery.id, settled.status, settled.reason);
    this.deps.logger.info(
      { deliveryId: delivery.id, workflowId: delivery.workflowId, temporalStatus: status },
      'reconciled delivery with Temporal',
    );
    return (await this.deps.stores.deliveries.findById(delivery.id))!;
  }
}
