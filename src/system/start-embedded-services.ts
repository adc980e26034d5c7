import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config';
import { startEmbeddedPostgres } from '../embedded/start-embedded-postgres';
import { startTemporalDevServer } from '../embedded/start-temporal-dev-server';
import type { ShutdownStack } from './shutdown-stack';

/** Where the servers are: the configured ones, or the embedded ones started under DATA_DIR. */
export interface Services {
  databaseUrl: string;
  /** True for the embedded PostgreSQL, whose secret key is kept under DATA_DIR. */
  embeddedDatabase: boolean;
  temporalAddress: string;
  temporalUiUrl: string | undefined;
}

/**
 * The all-in-one default: an embedded PostgreSQL and Temporal dev server (with its Web UI) under DATA_DIR for
 * whichever of DATABASE_URL and TEMPORAL_ADDRESS is unset.
 */
export async function startEmbeddedServices(
  config: Pick<Config, 'dataDir' | 'databaseUrl' | 'temporal'>,
  logger: Logger,
  stack: ShutdownStack,
): Promise<Services> {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.info({ dir: path.join(config.dataDir, 'postgres') }, 'starting embedded PostgreSQL');
    const postgres = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      log: (line) => logger.debug({ component: 'postgres' }, line),
      notice: (line) => logger.warn({ component: 'postgres' }, line),
    });
    stack.push('embedded postgres', () => postgres.stop());
    databaseUrl = postgres.connectionString;
  }
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
      sqliteSynchronous: config.temporal.embeddedSqliteSynchronous,
      log: (line) => logger.debug({ component: 'temporal-server' }, line),
    });
    stack.push('embedded temporal', () => temporal.stop());
    temporalAddress = temporal.address;
    temporalUiUrl ??= temporal.uiUrl;
  }
  return { databaseUrl, embeddedDatabase: !config.databaseUrl, temporalAddress, temporalUiUrl };
}
