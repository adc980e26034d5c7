import { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createAttemptActivities } from '../../activities/create-attempt-activities';
import { createAttemptRunner } from '../../activities/attempt-runner';
import { createLegacyActivities } from '../../activities/legacy/create-legacy-activities';
import { createReplayActivities } from '../../activities/create-replay-activities';
import type { WebhookPoster } from '../../activities/post-webhook';
import { laneTaskQueue, type QueuedLane } from '../../workflows/attempt-lanes';
import { DeliveryReplayer } from '../deliveries/delivery-replayer';
import { DeliveryStarter } from '../deliveries/delivery-starter';
import { AttemptGate } from '../lanes/attempt-gate';
import type { LaneSettings } from '../lanes/lane-settings';
import type { DeliveryMetrics } from '../metrics/delivery-metrics';
import type { LaneMetrics } from '../metrics/lane-metrics';
import type { SecretCipher } from '../secrets/secret-cipher';
import type { Stores } from '../store/create-stores';

export interface DeliveryWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  stores: Stores;
  /** Seals an exchange for its trip through history when Postgres is away, and opens it again. */
  sealer: Pick<SecretCipher, 'encrypt' | 'decrypt'>;
  post: WebhookPoster;
  userAgent: string;
  logger: Logger;
  lanes: LaneSettings;
  metrics?: DeliveryMetrics;
  laneMetrics?: LaneMetrics;
  /** Prebuilt with {@link bundleDeliveryWorkflows}; built on the spot when absent. */
  workflowBundle?: WorkflowBundle;
}

/** The workers of one process: the deliveries' own task queue (workflows and the fast lane) and each queued lane. */
export interface DeliveryWorkers {
  workers: Worker[];
  /** Runs them all until `shutdown`; rejects when one of them stops on an error. */
  run(): Promise<void>;
  shutdown(): void;
}

/** The folder the worker bundles: `workflows/index` from sources (tsx) or from `dist/`. */
export function deliveryWorkflowsPath(): string {
  return require.resolve('../../workflows');
}

/** Bundling takes seconds: do it once per process and share the result. */
export function bundleDeliveryWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: deliveryWorkflowsPath(), logger: quietBundlerLogger });
}

/** Workflow tasks without a local attempt (timers firing, starts, endings) keep this many slots of their own. */
const WORKFLOW_TASK_HEADROOM = 50;

/**
 * Local activities beyond the fast lane's slots: with the lane full, an attempt still has to run to learn so from
 * the gate and hand itself to a queued lane (milliseconds). Were the SDK's limit the lane's own, it would queue such
 * attempts itself, unseen by the gate, behind attempts that may hang for 30 s.
 */
const LOCAL_ADMISSION_HEADROOM = 32;

/**
 * How the worker of the deliveries' own task queue runs workflow tasks; the benchmark's Temporal floor runs its
 * minimal workflow with exactly these. A local attempt holds its workflow task (and its slot) until it ends, so
 * workflow task slots are the fast lane's plus headroom; the cache must hold at least as many workflows.
 */
export function workflowWorkerOptions(lanes: Pick<LaneSettings, 'fastSlots'>) {
  const workflowTaskSlots = lanes.fastSlots + WORKFLOW_TASK_HEADROOM;
  return {
    maxConcurrentWorkflowTaskExecutions: workflowTaskSlots,
    maxConcurrentLocalActivityExecutions: lanes.fastSlots + LOCAL_ADMISSION_HEADROOM,
    maxCachedWorkflows: Math.max(workflowTaskSlots, 1_000),
    // When a worker dies, the server keeps its workflows' next tasks on that worker's sticky queue for this long
    // before handing them to any worker. The default (10 s) would make a crash stretch a step by 10 s; replaying a
    // delivery's short history on another worker costs milliseconds.
    stickyQueueScheduleToStartTimeout: '2s',
  } as const;
}

export async function createDeliveryWorkers(options: DeliveryWorkerOptions): Promise<DeliveryWorkers> {
  const workflowBundle = options.workflowBundle ?? (await bundleDeliveryWorkflows());
  const { stores, logger, connection, namespace, lanes } = options;
  const gate = new AttemptGate(lanes, options.laneMetrics);
  const runnerDependencies = {
    stores,
    post: options.post,
    userAgent: options.userAgent,
    gate,
    sealer: options.sealer,
    metrics: options.metrics,
  };
  const attempts = createAttemptActivities(runnerDependencies);
  const legacy = createLegacyActivities({
    runner: createAttemptRunner(runnerDependencies),
    sealer: options.sealer,
    finishDelivery: attempts.finishDelivery,
  });
  // Bulk replays start deliveries from inside an activity, through the worker's own connection.
  const client = new Client({ connection, namespace });
  const starter = new DeliveryStarter({ client, taskQueue: options.taskQueue, stores, logger });

  const deliveries = await Worker.create({
    connection,
    namespace,
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: {
      ...attempts,
      ...legacy,
      ...createReplayActivities({ stores, replayer: new DeliveryReplayer({ stores, starter }) }),
    },
    ...workflowWorkerOptions(lanes),
    // Bookkeeping, replays and the attempts of deliveries still on the first workflow.
    maxConcurrentActivityTaskExecutions: 100,
  });
  const queued = await Promise.all(
    (['standard', 'slow'] as const satisfies readonly QueuedLane[]).map((lane) =>
      Worker.create({
        connection,
        namespace,
        taskQueue: laneTaskQueue(options.taskQueue, lane),
        activities: { attemptInQueuedLane: attempts.attemptInQueuedLane },
        maxConcurrentActivityTaskExecutions: lanes.queuedSlots[lane],
      }),
    ),
  );
  const workers = [deliveries, ...queued];
  const shutdown = () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    workers,
    run: async () => {
      // One stopping on an error takes the others with it: half a worker would take tasks it cannot finish.
      const results = await Promise.allSettled(
        workers.map((worker) =>
          worker.run().catch((err: unknown) => {
            shutdown();
            throw err;
          }),
        ),
      );
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
    shutdown,
  };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: unknown) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: unknown) => console.error(message, meta ?? ''),
};
