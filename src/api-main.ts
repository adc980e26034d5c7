import { createMetrics } from './metrics/create-metrics';
import { connectTemporalClient } from './system/connect-temporal';
import { openStores } from './system/open-stores';
import { requireExternalServices } from './system/require-external-services';
import { runMain } from './system/run-main';
import { startApiRole } from './system/start-api-role';
import { createHostResolver } from './targets/create-host-resolver';

/** The API alone, for an external PostgreSQL and Temporal; run as many as you like behind a load balancer. */
runMain('api', async ({ config, logger, stack }) => {
  const external = requireExternalServices(config, 'api');
  const { stores } = await openStores(
    config,
    { url: external.databaseUrl, embedded: false, poolMax: config.databasePoolMax },
    stack,
  );
  if (config.bootstrapToken) await stores.teams.ensureBootstrapToken(config.bootstrapToken);
  const temporal = await connectTemporalClient(external.temporalAddress, config.temporal.namespace);
  stack.push('temporal client', () => temporal.close());
  const metrics = createMetrics({ stores });
  const api = await startApiRole({
    config,
    stores,
    client: temporal.client,
    logger,
    metrics,
    temporalUiUrl: config.temporal.uiUrl,
    resolveHost: createHostResolver({ ...config.dns, metrics: metrics.dns }),
  });
  stack.push('api', () => api.stop());
  logger.info({ url: api.url }, 'API listening');
});
