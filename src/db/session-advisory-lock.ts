import { Client, type ClientConfig } from 'pg';
import { ADVISORY_LOCK_SPACE } from './advisory-locks';
import type { Database } from './create-database';

/**
 * Runs `work` only if this process gets the advisory lock `key` (of ADVISORY_LOCKS) at once: single flight across
 * processes for a long job made of many short transactions. The lock is held by a session of its own, outside the
 * pool (so the job's statements never wait for it), and released when `work` ends, or by Postgres if this process
 * dies. Answers `{ locked: true }` when another session holds it.
 */
export async function withSessionAdvisoryLock<T>(
  db: Database,
  key: number,
  work: () => Promise<T>,
): Promise<{ locked: false; result: T } | { locked: true }> {
  const session = new Client(db.client.config.connection as string | ClientConfig);
  session.on('error', () => undefined);
  await session.connect();
  try {
    const { rows } = await session.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS taken', [
      ADVISORY_LOCK_SPACE,
      key,
    ]);
    if (!rows[0]?.taken) return { locked: true };
    return { locked: false, result: await work() };
  } finally {
    await session.end().catch(() => undefined);
  }
}
