import knex, { type Knex } from 'knex';
import { migrationSource } from './migration-source';

export type Database = Knex;

/** @param connectionString a postgres:// URL; the pool is small because each process is one of many. */
export function createDatabase(connectionString: string, options: { poolMax?: number } = {}): Database {
  return knex({
    client: 'pg',
    connection: { connectionString, connectionTimeoutMillis: 5_000 },
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: 10_000,
  });
}

export async function migrateToLatest(db: Database): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
