import knex, { type Knex } from 'knex';
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

export async function migrateToLatest(db: Database): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
