import { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../../activities/create-activities';
import { createReplayActivities } from '../../activities/create-replay-activities';
import type { WebhookPoster } from '../../activities/post-webhook';
import { DeliveryReplayer } from '../deliveries/delivery-replayer';
import { DeliveryStarter } from '../deliveries/delivery-starter';
import type { DeliveryMetrics } from '../metrics/delivery-metrics';
import type { Stores } from '../store/create-stores';

export interface DeliveryWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  stores: Stores;
  post: WebhookPoster;
  userAgent: string;
  logger: Logger;
  metrics?: DeliveryMetrics;
  /** Prebuilt with {@link bundleDeliveryWorkflows}; built on the spot when absent. */
  workflowBundle?: WorkflowBundle;
  /** @default 200 concurrent POSTs per worker */
  maxConcurrentActivities?: number;
}

/** The folder the worker bundles: `workflows/index` from sources (tsx) or from `dist/`. */
export function deliveryWorkflowsPath(): string {
  return require.resolve('../../workflows');
}

/** Bundling takes seconds: do it once per process and share the result. */
export function bundleDeliveryWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: deliveryWorkflowsPath(), logger: quietBundlerLogger });
}

export async function createDeliveryWorker(options: DeliveryWorkerOptions): Promise<Worker> {
  const workflowBundle = options.workflowBundle ?? (await bundleDeliveryWorkflows());
  const { stores, logger } = options;
  // Bulk replays start deliveries from inside an activity, through the worker's own connection.
  const client = new Client({ connection: options.connection, namespace: options.namespace });
  const starter = new DeliveryStarter({ client, taskQueue: options.taskQueue, stores, logger });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: {
      ...createActivities({ stores, post: options.post, userAgent: options.userAgent, metrics: options.metrics }),
      ...createReplayActivities({ stores, replayer: new DeliveryReplayer({ stores, starter }) }),
    },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 200,
    // When a worker dies, the server keeps its workflows' next tasks on that worker's sticky queue for this long
    // before handing them to any worker. The default (10 s) would make a crash stretch a step by 10 s; replaying a
    // delivery's short history on another worker costs milliseconds.
    stickyQueueScheduleToStartTimeout: '2s',
  });
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: unknown) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: unknown) => console.error(message, meta ?? ''),
};
