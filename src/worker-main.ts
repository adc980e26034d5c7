import 'dotenv/config';
import { createDatabase, migrateToLatest } from './db/create-database';
import { ConfigError, loadConfig } from './config/load-config';
import { createMetrics } from './metrics/create-metrics';
import { loadSecretCipher } from './secrets/load-secret-key';
import { serveMetrics } from './metrics/serve-metrics';
import { createLogger } from './system/create-logger';
import { connectWorkerConnection } from './system/connect-temporal';
import { installTemporalRuntime } from './system/install-temporal-runtime';
import { requireExternalServices } from './system/require-external-services';
import { runDeliveryWorker } from './system/run-delivery-worker';
import { ShutdownStack } from './system/shutdown-stack';

/** A delivery worker alone, for an external PostgreSQL and Temporal; add more to deliver faster. */
async function main(): Promise<void> {
  let config;
  let external;
  try {
    config = loadConfig(process.env);
    external = requireExternalServices(config, 'worker');
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel, { role: 'worker' });
  installTemporalRuntime(logger.child({ component: 'temporal-sdk' }));
  const stack = new ShutdownStack(logger);
  stack.stopOnSignals();
  try {
    const db = createDatabase(external.databaseUrl);
    stack.push('database pool', () => db.destroy());
    await migrateToLatest(db);
    const metrics = createMetrics();
    let isRunning = () => false;
    if (config.metricsPort > 0) {
      const metricsServer = await serveMetrics(metrics.registry, config.metricsPort, config.http.host, () =>
        isRunning(),
      );
      stack.push('metrics', () => metricsServer.stop());
    }
    const connection = await connectWorkerConnection(external.temporalAddress);
    stack.push('worker connection', () => connection.close());
    const worker = await runDeliveryWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      db,
      logger,
      targets: config.targets,
      metrics: metrics.delivery,
      secretCipher: loadSecretCipher({
        configuredKey: config.secretEncryptionKey,
        dataDir: config.dataDir,
        embedded: false,
      }),
    });
    stack.push('worker', () => worker.stop());
    isRunning = worker.isRunning;
    logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    await stack.stopAll();
    process.exit(1);
  }
}

void main();
