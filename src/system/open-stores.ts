import { createDatabase, migrateToLatest, type Database } from '../db/create-database';
import { loadSecretCipher } from '../secrets/load-secret-cipher';
import { createStores, type Stores } from '../store/create-stores';
import type { Config } from '../config/load-config';
import type { ShutdownStack } from './shutdown-stack';

/**
 * The database of a process: its pool (closed last on shutdown), migrations applied, and the stores with the key
 * for webhook secrets (from SECRET_ENCRYPTION_KEY, or kept under DATA_DIR on the embedded default).
 */
export async function openStores(
  config: Pick<Config, 'secretEncryptionKey' | 'dataDir'>,
  database: { url: string; embedded: boolean; poolMax?: number },
  stack: ShutdownStack,
): Promise<{ db: Database; stores: Stores }> {
  const cipher = loadSecretCipher({
    configuredKey: config.secretEncryptionKey,
    dataDir: config.dataDir,
    embedded: database.embedded,
  });
  const db = createDatabase(database.url, { poolMax: database.poolMax });
  stack.push('database pool', () => db.destroy());
  await migrateToLatest(db);
  return { db, stores: createStores(db, cipher) };
}
