import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import type { Logger } from 'pino';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import { DELIVERY_SEARCH_ATTRIBUTES } from '../../workflows/delivery-search-attributes';
import type { DeliveryWorkflowInput } from '../../workflows/delivery-workflow-input';
import type { webhookDeliveryWorkflow } from '../../workflows/webhook-delivery-workflow';
import type { Stores } from '../store/create-stores';
import type { DeliveryToStart } from '../store/delivery-outbox';
import { FairStartQueue } from './fair-start-queue';
import { targetHostOf } from './target-host';
import { withinDeadline } from './within-deadline';

export interface DeliveryStarterDependencies {
  client: Client;
  taskQueue: string;
  stores: Pick<Stores, 'outbox'>;
  logger: Logger;
  /**
   * The client shares its NativeConnection with a worker of this process: each start asks for the first workflow
   * task back in its answer (eager start), which saves the server a dispatch and a poll. @default false
   */
  eager?: boolean;
  /**
   * Longest a request waits for its starts: past it the request answers, and starts still under way go on in the
   * background (a slow Temporal still gets them; one away leaves them to the outbox sweeper). So a trigger answers
   * within about this much even with Temporal away. @default 800
   */
  answerWithinMs?: number;
}

/** Calls to Temporal under way at once in one process: the benchmark's floor is measured 32 at a time. */
const START_CONCURRENCY = 32;

/** The workflow every new delivery runs (ADR 6); `deliveryWorkflow` only finishes deliveries started before it. */
export const DELIVERY_WORKFLOW_TYPE = 'webhookDeliveryWorkflow';

/**
 * Exactly how a delivery's workflow is started, shared with the benchmark's Temporal floor so that the floor is
 * measured with the product's own options: idempotent on the workflow id, a 5 s workflow task timeout, the search
 * attributes an operator filters by, and what the Web UI shows.
 */
export function deliveryStartOptions(
  delivery: DeliveryToStart,
  options: { taskQueue: string; eager: boolean },
): WorkflowStartOptions<typeof webhookDeliveryWorkflow> {
  const input: DeliveryWorkflowInput = {
    deliveryId: delivery.deliveryId,
    webhookId: delivery.webhookId,
    routeId: delivery.routeId,
    projectId: delivery.projectId,
    eventType: delivery.eventType,
    schedule: [...DELIVERY_SCHEDULE],
  };
  return {
    taskQueue: options.taskQueue,
    workflowId: delivery.workflowId,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    // A workflow task handed to a worker that then dies is retried after this long (default 10 s): keep a crash
    // between an attempt's end and its timer from stretching the step. Delivery tasks take milliseconds.
    workflowTaskTimeout: '5s',
    requestEagerStart: options.eager,
    // No status attribute at start: Temporal's own ExecutionStatus says pending, delivered and failed, so the
    // only update a delivery ever makes is for the rare stop (README, "Find it").
    typedSearchAttributes: [
      { key: DELIVERY_SEARCH_ATTRIBUTES.webhookId, value: delivery.webhookId },
      { key: DELIVERY_SEARCH_ATTRIBUTES.routeId, value: delivery.routeId },
      { key: DELIVERY_SEARCH_ATTRIBUTES.projectId, value: delivery.projectId },
      { key: DELIVERY_SEARCH_ATTRIBUTES.eventType, value: delivery.eventType },
    ],
    staticSummary: `${delivery.eventType} → ${targetHostOf(delivery.url)}`,
    staticDetails: `delivery ${delivery.deliveryId}\nwebhook ${delivery.webhookId}\nroute ${delivery.routeId}`,
  };
}

/** Starts waiting for a turn in one process, requests and sweeps together; past it, the rest waits for the sweeper. */
const MAX_STARTS_WAITING = 4_096;

/** Longest one start call may take before it is abandoned (and left to the sweeper). */
const START_TIMEOUT_MS = 10_000;

/**
 * Hands committed deliveries to Temporal. Starting is idempotent on the workflow id, so the outbox sweeper, a
 * retried trigger and a second API process can all call it for the same delivery. With Temporal slow or away,
 * whatever did not start stays unstarted in Postgres, and the outbox sweeper starts it once Temporal answers.
 */
export class DeliveryStarter {
  private readonly marks: StartedMarks;
  private readonly queue: FairStartQueue<DeliveryToStart>;
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly deps: DeliveryStarterDependencies) {
    this.marks = new StartedMarks(deps);
    this.queue = new FairStartQueue(
      (delivery) => withinDeadline(deps.client, Date.now() + START_TIMEOUT_MS, () => this.startOne(delivery)),
      { concurrency: START_CONCURRENCY, capacity: MAX_STARTS_WAITING },
    );
  }

  /** Starts the workflows of deliveries already committed to Postgres, by id, and waits for them all. */
  async startCommitted(deliveryIds: readonly string[]): Promise<number> {
    return this.start(await this.deps.stores.outbox.listToStart(deliveryIds));
  }

  /** For a request: starts these by id, answering within the request's budget (see `startSoon`). */
  async startCommittedSoon(deliveryIds: readonly string[]): Promise<void> {
    await this.startSoon(await this.deps.stores.outbox.listToStart(deliveryIds));
  }

  /**
   * For a request: starts them, but returns after at most `answerWithinMs` whatever Temporal does. Starts still
   * under way go on in the background, never cancelled (Temporal may be slow, not away); any that fail stay for the
   * outbox sweeper.
   */
  async startSoon(deliveries: readonly DeliveryToStart[]): Promise<void> {
    if (deliveries.length === 0) return;
    const done = this.start(deliveries).catch((err: unknown) =>
      this.deps.logger.warn({ err }, 'could not start delivery workflows; the outbox sweeper will'),
    );
    this.background.add(done);
    void done.finally(() => this.background.delete(done));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.deps.answerWithinMs ?? 800);
    });
    await Promise.race([done, budget]);
    clearTimeout(timer);
  }

  /**
   * Starts what it can, each call bounded in time, and waits for them all; the calls go out a team at a time
   * (`FairStartQueue`). Returns how many started.
   */
  async start(deliveries: readonly DeliveryToStart[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const outcomes = await Promise.all(deliveries.map((delivery) => this.queue.submit(delivery)));
    const started = deliveries.filter((_, i) => outcomes[i] === 'started').map((d) => d.deliveryId);
    if (started.length < deliveries.length) {
      this.deps.logger.warn(
        {
          failed: outcomes.filter((o) => o === 'failed').length,
          refused: outcomes.filter((o) => o === 'refused').length,
          left: deliveries.length - started.length,
        },
        'could not start delivery workflows; the outbox sweeper starts them once Temporal answers',
      );
    }
    await this.marks.mark(started);
    return started.length;
  }

  /** Waits for the starts a request left running in the background (on shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  private async startOne(delivery: DeliveryToStart): Promise<void> {
    try {
      await this.deps.client.workflow.start<typeof webhookDeliveryWorkflow>(
        DELIVERY_WORKFLOW_TYPE,
        deliveryStartOptions(delivery, { taskQueue: this.deps.taskQueue, eager: this.deps.eager ?? false }),
      );
    } catch (err) {
      // Already ran to its end: it was started before, which is all we need to know.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}

/**
 * Marks started deliveries in Postgres, many requests to one statement: while one write is under way, the ids of
 * every request that arrives meanwhile wait and go together in the next (a group commit). A mark that never lands
 * costs nothing but a second, idempotent start by the outbox sweeper.
 */
class StartedMarks {
  private queued: string[] = [];
  private writing: Promise<void> | undefined;
  private nextWrite: Promise<void> | undefined;

  constructor(private readonly deps: Pick<DeliveryStarterDependencies, 'stores' | 'logger'>) {}

  async mark(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    this.queued.push(...ids);
    this.nextWrite ??= (async () => {
      await this.writing?.catch(() => undefined);
      const batch = this.queued;
      this.queued = [];
      this.nextWrite = undefined;
      this.writing = this.deps.stores.outbox.markWorkflowStarted(batch);
      await this.writing.catch((err: unknown) =>
        this.deps.logger.warn({ err, count: batch.length }, 'could not mark deliveries started; the sweeper re-checks'),
      );
    })();
    await this.nextWrite;
  }
}
