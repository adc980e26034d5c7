import { createDatabase, migrateToLatest, type Database, type DatabaseOptions } from '../db/create-database';
import { loadSecretCipher } from '../secrets/load-secret-cipher';
import type { SecretCipher } from '../secrets/secret-cipher';
import { createStores, type Stores } from '../store/create-stores';
import type { Config } from '../config/load-config';
import type { ShutdownStack } from './shutdown-stack';

/**
 * A worker's statements and its waits for a connection stay below an attempt's 10 s heartbeat timeout: a locked
 * table or a starved pool then fails an attempt before it is sent, instead of Temporal taking a live worker for
 * dead and sending the attempt again elsewhere.
 */
export const WORKER_DATABASE_OPTIONS = { statementTimeoutMs: 4_000, acquireTimeoutMs: 3_000 } as const;

/**
 * The database of a process: its pool (closed last on shutdown), migrations applied, and the stores with the key
 * for webhook secrets (from SECRET_ENCRYPTION_KEY, or kept under DATA_DIR on the embedded default).
 */
export async function openStores(
  config: Pick<Config, 'secretEncryptionKey' | 'dataDir'>,
  database: { url: string; embedded: boolean } & DatabaseOptions,
  stack: ShutdownStack,
): Promise<{ db: Database; stores: Stores; cipher: SecretCipher }> {
  const cipher = loadSecretCipher({
    configuredKey: config.secretEncryptionKey,
    dataDir: config.dataDir,
    embedded: database.embedded,
  });
  const { url, embedded: _embedded, ...options } = database;
  // Migrations get a connection of their own, without the statement timeout a worker's pool has.
  const migrator = createDatabase(url, { poolMax: 1 });
  try {
    await migrateToLatest(migrator);
  } finally {
    await migrator.destroy();
  }
  const db = createDatabase(url, options);
  stack.push('database pool', () => db.destroy());
  return { db, stores: createStores(db, cipher), cipher };
}
