import knex, { type Knex } from 'knex';
import { Client, type ClientConfig } from 'pg';
import { ADVISORY_LOCKS, ADVISORY_LOCK_SPACE } from './advisory-locks';
import { migrationSource } from './migration-source';

export type Database = Knex;

export interface DatabaseOptions {
  /** @default 10: the pool is small because each process is one of many. */
  poolMax?: number;
  /**
   * Longest a statement may run before Postgres cancels it. Workers keep it, and the wait for a connection, below
   * an attempt's 10 s heartbeat timeout, so a locked table or a starved pool fails an attempt before it is sent
   * rather than making Temporal send it again elsewhere. @default none
   */
  statementTimeoutMs?: number;
  /** Longest wait for a free connection of the pool. @default 10_000 */
  acquireTimeoutMs?: number;
}

/** @param connectionString a postgres:// URL */
export function createDatabase(connectionString: string, options: DatabaseOptions = {}): Database {
  return knex({
    client: 'pg',
    connection: {
      connectionString,
      connectionTimeoutMillis: Math.min(5_000, options.acquireTimeoutMs ?? 5_000),
      ...(options.statementTimeoutMs !== undefined && { statement_timeout: options.statementTimeoutMs }),
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: options.acquireTimeoutMs ?? 10_000,
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
