import 'dotenv/config';
import { createDatabase, migrateToLatest } from './db/create-database';
import { ConfigError, loadConfig } from './config/load-config';
import { TeamStore } from './tenancy/team-store';
import { createApiDependencies } from './system/create-api-dependencies';
import { createMetrics } from './metrics/create-metrics';
import { loadSecretCipher } from './secrets/load-secret-key';
import { createLogger } from './system/create-logger';
import { connectTemporalClient } from './system/connect-temporal';
import { requireExternalServices } from './system/require-external-services';
import { runApiServer } from './system/run-api-server';
import { ShutdownStack } from './system/shutdown-stack';

/** The API alone, for an external PostgreSQL and Temporal; run as many as you like behind a load balancer. */
async function main(): Promise<void> {
  let config;
  let external;
  try {
    config = loadConfig(process.env);
    external = requireExternalServices(config);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel, { role: 'api' });
  const stack = new ShutdownStack(logger);
  stack.stopOnSignals();
  try {
    const db = createDatabase(external.databaseUrl);
    stack.push('database pool', () => db.destroy());
    await migrateToLatest(db);
    if (config.bootstrapToken) await new TeamStore(db).ensureBootstrapToken(config.bootstrapToken);
    const temporal = await connectTemporalClient(external.temporalAddress, config.temporal.namespace);
    stack.push('temporal client', () => temporal.close());
    const deps = createApiDependencies({
      db,
      client: temporal.client,
      logger,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      temporalUiUrl: config.temporal.uiUrl,
      targets: config.targets,
      publicBaseUrl: config.http.publicBaseUrl,
      rateLimitPerMinute: config.rateLimitPerMinute,
      dashboard: config.dashboard,
      metrics: createMetrics({ db }),
      secretCipher: loadSecretCipher({
        configuredKey: config.secretEncryptionKey,
        dataDir: config.dataDir,
        embedded: false,
      }),
    });
    const api = await runApiServer(deps, { port: config.http.port, host: config.http.host, logger });
    stack.push('api', () => api.stop());
    logger.info({ url: api.url }, 'API listening');
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    await stack.stopAll();
    process.exit(1);
  }
}

void main();
