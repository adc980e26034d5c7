import { createMetrics } from './metrics/create-metrics';
import { serveMetrics } from './metrics/serve-metrics';
import { connectWorkerConnection } from './system/connect-temporal';
import { openStores, WORKER_DATABASE_OPTIONS } from './system/open-stores';
import { requireExternalServices } from './system/require-external-services';
import { runMain } from './system/run-main';
import { startWorkerRole } from './system/start-worker-role';
import { createHostResolver } from './targets/create-host-resolver';

/** A delivery worker alone, for an external PostgreSQL and Temporal; add more to deliver faster. */
runMain('worker', async ({ config, logger, stack }) => {
  const external = requireExternalServices(config, 'worker');
  const { stores, cipher } = await openStores(
    config,
    { url: external.databaseUrl, embedded: false, ...WORKER_DATABASE_OPTIONS, poolMax: config.databasePoolMax },
    stack,
  );
  const metrics = createMetrics();
  // Polling its task queue is what a container health check should ask about, not just "the process is there".
  let polling = () => false;
  if (config.metricsPort > 0) {
    const metricsServer = await serveMetrics(metrics.registry, config.metricsPort, config.http.host, () => polling());
    stack.push('metrics', () => metricsServer.stop());
  }
  const connection = await connectWorkerConnection(external.temporalAddress);
  stack.push('worker connection', () => connection.close());
  const worker = await startWorkerRole({
    config,
    connection,
    stores,
    cipher,
    logger,
    metrics,
    resolveHost: createHostResolver({ ...config.dns, metrics: metrics.dns }),
  });
  stack.push('worker', () => worker.stop());
  polling = () => worker.workers.workers.every((w) => w.getState() === 'RUNNING');
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
});
