import type { NativeConnection, WorkflowBundle } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createWebhookPoster, type WebhookPoster } from '../../activities/post-webhook';
import type { Config } from '../config/load-config';
import type { Metrics } from '../metrics/create-metrics';
import { LaneMetrics } from '../metrics/lane-metrics';
import type { SecretCipher } from '../secrets/secret-cipher';
import type { Stores } from '../store/create-stores';
import { createGuardedDispatcher } from '../targets/create-guarded-dispatcher';
import type { HostResolver } from '../targets/resolve-host';
import { createDeliveryWorkers, type DeliveryWorkers } from '../worker/create-delivery-worker';
import { productUserAgent } from './user-agent';

/** The slices of the configuration a worker reads. */
export type WorkerConfig = Pick<Config, 'targets' | 'lanes'> & {
  temporal: Pick<Config['temporal'], 'namespace' | 'taskQueue'>;
};

export interface WorkerRoleOptions {
  config: WorkerConfig;
  connection: NativeConnection;
  stores: Stores;
  /** The key of secrets at rest, which also seals an outcome's exchange when it must travel through history. */
  cipher: SecretCipher;
  logger: Logger;
  metrics?: Metrics;
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
  workers: DeliveryWorkers;
  /** Drains the workers: attempts in flight finish first. */
  stop(): Promise<void>;
}

/** Starts the delivery workers (the deliveries' task queue and each queued lane) in the background. */
export async function startWorkerRole(options: WorkerRoleOptions): Promise<WorkerRole> {
  const { config } = options;
  const workers = await createDeliveryWorkers({
    connection: options.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    stores: options.stores,
    sealer: options.cipher,
    // Checked again at every attempt, on the address actually connected (SSRF, DNS rebinding).
    post:
      options.post ??
      createWebhookPoster({ dispatcher: createGuardedDispatcher(config.targets, { resolve: options.resolveHost }) }),
    userAgent: options.userAgent ?? productUserAgent(),
    logger: options.logger,
    lanes: config.lanes,
    metrics: options.metrics?.delivery,
    laneMetrics: options.metrics && new LaneMetrics(options.metrics.registry, config.lanes),
    workflowBundle: options.workflowBundle,
  });
  const running = workers.run().catch((err: unknown) => {
    options.logger.fatal({ err }, 'delivery worker stopped unexpectedly');
    process.exitCode = 1;
  });
  return {
    workers,
    stop: async () => {
      workers.shutdown();
      await running;
    },
  };
}
