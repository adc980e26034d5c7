import path from 'node:path';
import { createMetrics } from './metrics/create-metrics';
import { Client } from '@temporalio/client';
import { connectWorkerConnection } from './system/connect-temporal';
import { openStores, WORKER_DATABASE_OPTIONS } from './system/open-stores';
import { runMain } from './system/run-main';
import { startApiRole } from './system/start-api-role';
import { startEmbeddedServices } from './system/start-embedded-services';
import { startWorkerRole } from './system/start-worker-role';
import { createHostResolver } from './targets/create-host-resolver';
import { DEVELOPMENT_TOKEN_FILE, ensureDevelopmentToken } from './tenancy/development-token';

/**
 * Everything in one process: the embedded PostgreSQL and Temporal dev server (with its Web UI) unless
 * DATABASE_URL / TEMPORAL_ADDRESS point elsewhere, then a worker and the API. Data lives under DATA_DIR, so a
 * restart continues the deliveries that were waiting.
 */
runMain(undefined, async ({ config, logger, stack }) => {
  const services = await startEmbeddedServices(config, logger, stack);
  const { stores, cipher } = await openStores(
    config,
    {
      url: services.databaseUrl,
      embedded: services.embeddedDatabase,
      ...WORKER_DATABASE_OPTIONS,
      poolMax: config.databasePoolMax,
    },
    stack,
  );

  const connection = await connectWorkerConnection(services.temporalAddress);
  stack.push('worker connection', () => connection.close());
  // The API starts workflows on the worker's own connection, so each start can hand its first task straight to
  // this worker (eager start) instead of through the server's matching.
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const metrics = createMetrics({ stores });
  // One resolver for the process: the worker and the API share its caches and each team's DNS budget.
  const resolveHost = createHostResolver({ ...config.dns, metrics: metrics.dns });
  const worker = await startWorkerRole({ config, connection, stores, cipher, logger, metrics, resolveHost });
  stack.push('worker', () => worker.stop());

  const token = config.bootstrapToken ?? (config.databaseUrl ? undefined : ensureDevelopmentToken(config.dataDir));
  if (token) await stores.teams.ensureBootstrapToken(token);
  const api = await startApiRole({
    config,
    stores,
    client,
    eagerStarts: true,
    logger,
    metrics,
    temporalUiUrl: services.temporalUiUrl,
    resolveHost,
  });
  stack.push('api', () => api.stop());

  logger.info(
    { api: api.url, temporalUi: services.temporalUiUrl, temporal: services.temporalAddress, dataDir: config.dataDir },
    'tidehook is running',
  );
  console.error(
    [
      '',
      `  Tidehook is running.`,
      `  API          ${api.url}/v1   (docs: ${api.url}/docs)`,
      `  Dashboard    ${api.url}/dashboard   (sign in with the token below)`,
      `  Temporal UI  ${services.temporalUiUrl ?? '(external: see your Temporal UI)'}`,
      `  Data         ${config.databaseUrl ? 'external PostgreSQL' : config.dataDir}`,
      config.bootstrapToken
        ? '  Token        BOOTSTRAP_TOKEN from the environment'
        : token
          ? `  Token        ${token}   (development token, kept in ${path.join(config.dataDir, DEVELOPMENT_TOKEN_FILE)})`
          : '  Token        set BOOTSTRAP_TOKEN, or: npm run cli -- create-team --name "My team"',
      '  Ctrl-C stops everything cleanly.',
      '',
    ].join('\n'),
  );
});
