import { createMetrics } from './metrics/create-metrics';
import { serveMetrics } from './metrics/serve-metrics';
import { connectWorkerConnection } from './system/connect-temporal';
import { openStores } from './system/open-stores';
import { requireExternalServices } from './system/require-external-services';
import { runMain } from './system/run-main';
import { startWorkerRole } from './system/start-worker-role';
import { createHostResolver } from './targets/create-host-resolver';

/** A delivery worker alone, for an external PostgreSQL and Temporal; add more to deliver faster. */
runMain('worker', async ({ config, logger, stack }) => {
  const external = requireExternalServices(config);
  const { stores } = await openStores(config, { url: external.databaseUrl, embedded: false }, stack);
  const metrics = createMetrics();
  if (config.metricsPort > 0) {
    const metricsServer = await serveMetrics(metrics.registry, config.metricsPort, config.http.host);
    stack.push('metrics', () => metricsServer.stop());
  }
  const connection = await connectWorkerConnection(external.temporalAddress);
  stack.push('worker connection', () => connection.close());
  const worker = await startWorkerRole({
    config,
    connection,
    stores,
    logger,
    metrics: metrics.delivery,
    resolveHost: createHostResolver(config.dns),
  });
  stack.push('worker', () => worker.stop());
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
});
