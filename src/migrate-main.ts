import 'dotenv/config';
import { ConfigError } from './config/load-config';
import { loadEntryPointConfig } from './config/required-variables';
import { createDatabase, migrateToLatest } from './db/create-database';
import { createLogger } from './system/create-logger';

/**
 * Brings the database schema up to date and exits: the one-shot `migrate` service of docker-compose.yml, which
 * the API and the workers wait for. (They migrate at start too, under the same advisory lock, so running them
 * without it is safe; this just makes the order explicit and a failed migration visible on its own.)
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadEntryPointConfig('migrate', process.env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel, { role: 'migrate' });
  const db = createDatabase(config.databaseUrl!, { poolMax: 1 });
  try {
    const { applied } = await migrateToLatest(db);
    logger.info({ applied }, applied.length > 0 ? `applied ${applied.length} migrations` : 'schema already up to date');
  } catch (err) {
    logger.fatal({ err }, 'migration failed');
    process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}

void main();
