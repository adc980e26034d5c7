import knex, { type Knex } from 'knex';
import { Client, type ClientConfig } from 'pg';
import { ADVISORY_LOCKS, ADVISORY_LOCK_SPACE } from './advisory-locks';
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

/**
 * Brings the schema up to date; safe to call from any number of processes at once. knex's own lock is a row in
 * `knex_migrations_lock`, which the first run has to create, so on a fresh database concurrent runs race on creating
 * the tables themselves (`relation "knex_migrations" already exists`). A session advisory lock needs no table: it is
 * held on a connection of its own, outside the pool (a pool of one would otherwise deadlock), and released when
 * that session ends, also if this process dies. Returns the names of the migrations this call applied.
 */
export async function migrateToLatest(db: Database): Promise<{ applied: string[] }> {
  const lock = new Client(db.client.config.connection as string | ClientConfig);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, $2)', [ADVISORY_LOCK_SPACE, ADVISORY_LOCKS.migrations]);
    const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
    return { applied };
  } finally {
    await lock.end();
  }
}
