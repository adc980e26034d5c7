import 'dotenv/config';
import path from 'node:path';
import { migrateToLatest, createDatabase } from './db/create-database';
import { startEmbeddedPostgres } from './embedded/start-embedded-postgres';
import { startTemporalDevServer } from './embedded/start-temporal-dev-server';
import { ConfigError, loadConfig } from './config/load-config';
import { DEVELOPMENT_TOKEN_FILE, ensureDevelopmentToken } from './tenancy/development-token';
import { TeamStore } from './tenancy/team-store';
import { createApiDependencies } from './system/create-api-dependencies';
import { createMetrics } from './metrics/create-metrics';
import { loadSecretCipher } from './secrets/load-secret-key';
import { createLogger } from './system/create-logger';
import { connectTemporalClient, connectWorkerConnection } from './system/connect-temporal';
import { installTemporalRuntime } from './system/install-temporal-runtime';
import { runApiServer } from './system/run-api-server';
import { runDeliveryWorker } from './system/run-delivery-worker';
import { ShutdownStack } from './system/shutdown-stack';

/**
 * Everything in one process: the embedded PostgreSQL and Temporal dev server (with its Web UI) unless
 * DATABASE_URL / TEMPORAL_ADDRESS point elsewhere, then a worker and the API. Data lives under DATA_DIR, so a
 * restart continues the deliveries that were waiting.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  installTemporalRuntime(logger.child({ component: 'temporal-sdk' }));
  const stack = new ShutdownStack(logger);
  stack.stopOnSignals();

  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      logger.info({ dir: path.join(config.dataDir, 'postgres') }, 'starting embedded PostgreSQL');
      const postgres = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        log: (line) => logger.debug({ component: 'postgres' }, line),
      });
      stack.push('embedded postgres', () => postgres.stop());
      databaseUrl = postgres.connectionString;
    }
    const db = createDatabase(databaseUrl);
    stack.push('database pool', () => db.destroy());
    await migrateToLatest(db);
    const metrics = createMetrics({ db });
    const secretCipher = loadSecretCipher({
      configuredKey: config.secretEncryptionKey,
      dataDir: config.dataDir,
      embedded: !config.databaseUrl,
    });

    let temporalAddress = config.temporal.address;
    let temporalUiUrl = config.temporal.uiUrl;
    if (!temporalAddress) {
      logger.info({ dir: path.join(config.dataDir, 'temporal') }, 'starting embedded Temporal dev server');
      const temporal = await startTemporalDevServer({
        dataDir: config.dataDir,
        namespace: config.temporal.namespace,
        preferredGrpcPort: config.temporal.embeddedGrpcPort,
        preferredUiPort: config.temporal.embeddedUiPort,
        cliPath: config.temporal.cliPath,
        log: (line) => logger.debug({ component: 'temporal-server' }, line),
      });
      stack.push('embedded temporal', () => temporal.stop());
      temporalAddress = temporal.address;
      temporalUiUrl ??= temporal.uiUrl;
    }

    const temporalClient = await connectTemporalClient(temporalAddress, config.temporal.namespace);
    stack.push('temporal client', () => temporalClient.close());
    const workerConnection = await connectWorkerConnection(temporalAddress);
    stack.push('worker connection', () => workerConnection.close());
    const worker = await runDeliveryWorker({
      connection: workerConnection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      db,
      logger,
      targets: config.targets,
      metrics: metrics.delivery,
      secretCipher,
    });
    stack.push('worker', () => worker.stop());

    const token = config.bootstrapToken ?? (config.databaseUrl ? undefined : ensureDevelopmentToken(config.dataDir));
    if (token) await new TeamStore(db).ensureBootstrapToken(token);
    const deps = createApiDependencies({
      db,
      client: temporalClient.client,
      logger,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      temporalUiUrl,
      targets: config.targets,
      publicBaseUrl: config.http.publicBaseUrl,
      rateLimitPerMinute: config.rateLimitPerMinute,
      dashboard: config.dashboard,
      metrics,
      secretCipher,
    });
    const api = await runApiServer(deps, { port: config.http.port, host: config.http.host, logger });
    stack.push('api', () => api.stop());

    logger.info(
      { api: api.url, temporalUi: temporalUiUrl, temporal: temporalAddress, dataDir: config.dataDir },
      'tidehook is running',
    );
    console.error(
      [
        '',
        `  Tidehook is running.`,
        `  API          ${api.url}/v1   (docs: ${api.url}/docs)`,
        `  Dashboard    ${api.url}/dashboard   (sign in with the token below)`,
        `  Temporal UI  ${temporalUiUrl ?? '(external: see your Temporal UI)'}`,
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
  } catch (err) {
    logger.fatal({ err: err instanceof Error ? err : new Error(String(err)) }, 'failed to start');
    await stack.stopAll();
    process.exit(1);
  }
}

void main();
