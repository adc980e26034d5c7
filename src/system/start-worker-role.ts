import type { NativeConnection, Worker, WorkflowBundle } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createWebhookPoster, type WebhookPoster } from '../../activities/post-webhook';
import type { Config } from '../config/load-config';
import type { DeliveryMetrics } from '../metrics/delivery-metrics';
import type { Stores } from '../store/create-stores';
import { createGuardedDispatcher } from '../targets/create-guarded-dispatcher';
import type { HostResolver } from '../targets/resolve-host';
import { createDeliveryWorker } from '../worker/create-delivery-worker';
import { productUserAgent } from './user-agent';

/** The slices of the configuration a worker reads. */
export type WorkerConfig = Pick<Config, 'targets'> & { temporal: Pick<Config['temporal'], 'namespace' | 'taskQueue'> };

export interface WorkerRoleOptions {
  config: WorkerConfig;
  connection: NativeConnection;
  stores: Stores;
  logger: Logger;
  metrics?: DeliveryMetrics;
  /** @default the production poster over the SSRF-guarded dispatcher, with the configured target policy */
  post?: WebhookPoster;
  /** The process's resolver for the default poster, built once from `config.dns`. @default resolveHost */
  resolveHost?: HostResolver;
  /** @default the product name and version */
  userAgent?: string;
  /** Prebuilt once per process when several workers start (tests); built on the spot when absent. */
  workflowBundle?: WorkflowBundle;
}

export interface WorkerRole {
  worker: Worker;
  /** Drains the worker: attempts in flight finish first. */
  stop(): Promise<void>;
}

/** Starts a delivery worker in the background. */
export async function startWorkerRole(options: WorkerRoleOptions): Promise<WorkerRole> {
  const worker = await createDeliveryWorker({
    connection: options.connection,
    namespace: options.config.temporal.namespace,
    taskQueue: options.config.temporal.taskQueue,
    stores: options.stores,
    // Checked again at every attempt, on the address actually connected (SSRF, DNS rebinding).
    post:
      options.post ??
      createWebhookPoster({
        dispatcher: createGuardedDispatcher(options.config.targets, { resolve: options.resolveHost }),
      }),
    userAgent: options.userAgent ?? productUserAgent(),
    logger: options.logger,
    metrics: options.metrics,
    workflowBundle: options.workflowBundle,
  });
  const running = worker.run().catch((err) => {
    options.logger.fatal({ err }, 'delivery worker stopped unexpectedly');
    process.exitCode = 1;
  });
  return {
    worker,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
