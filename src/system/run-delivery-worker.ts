import type { NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createWebhookPoster } from '../../activities/post-webhook';
import { createGuardedDispatcher } from '../targets/create-guarded-dispatcher';
import type { TargetPolicy } from '../targets/target-policy';
import type { Database } from '../db/create-database';
import type { DeliveryMetrics } from '../metrics/delivery-metrics';
import type { SecretCipher } from '../secrets/secret-cipher';
import { createDeliveryWorker } from '../worker/create-delivery-worker';
import { productUserAgent } from './user-agent';

/** Starts a delivery worker in the background; `stop` drains it (attempts in flight finish first). */
export async function runDeliveryWorker(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  logger: Logger;
  /** Checked again at every attempt, on the address actually connected (SSRF, DNS rebinding). */
  targets: TargetPolicy;
  metrics: DeliveryMetrics;
  secretCipher: SecretCipher;
}): Promise<{ stop: () => Promise<void>; isRunning: () => boolean }> {
  const worker = await createDeliveryWorker({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    db: options.db,
    post: createWebhookPoster({ dispatcher: createGuardedDispatcher(options.targets) }),
    userAgent: productUserAgent(),
    logger: options.logger,
    metrics: options.metrics,
    secretCipher: options.secretCipher,
  });
  const running = worker.run().catch((err) => {
    options.logger.fatal({ err }, 'delivery worker stopped unexpectedly');
    process.exitCode = 1;
  });
  return {
    // Polling the task queue: what a container health check should ask about, not just "the process is there".
    isRunning: () => worker.getState() === 'RUNNING',
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
