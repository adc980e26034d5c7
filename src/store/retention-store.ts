import { ADVISORY_LOCKS } from '../db/advisory-locks';
import type { Database } from '../db/create-database';
import { withSessionAdvisoryLock } from '../db/session-advisory-lock';

/** What one batch removed. */
export interface PrunedCounts {
  deliveries: number;
  attempts: number;
  events: number;
}

/** Where the scan of old events stands: after this row. */
export interface EventPosition {
  createdAt: Date;
  id: string;
}

/**
 * A delivery that may go: it ended before the cutoff, its workflow has nothing left to be told (no cancel still to
 * send), and no replay of it is still under way. Pending deliveries, and so their attempts and events, never qualify.
 */
const PRUNABLE = `d.status <> 'pending' AND d.finished_at < ? AND d.cancel_requested_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.replay_of = d.id AND r.status = 'pending')`;

/** The SQL of retention (ADR 13): old history counted and deleted in bounded batches. */
export class RetentionStore {
  constructor(private readonly db: Database) {}

  /** Runs `work` if no other process is pruning (a session advisory lock); `{ locked: true }` otherwise. */
  whileNobodyElsePrunes<T>(work: () => Promise<T>): Promise<{ locked: false; result: T } | { locked: true }> {
    return withSessionAdvisoryLock(this.db, ADVISORY_LOCKS.retention, work);
  }

  /**
   * Deletes up to `limit` prunable deliveries, the oldest first, with their attempts, in one statement. Rows another
   * transaction holds are skipped (SKIP LOCKED), so this never waits on anything in flight. Answers what went, and the
   * events the deleted deliveries pointed at.
   */
  async deleteDeliveryBatch(cutoff: Date, limit: number): Promise<PrunedCounts & { eventIds: string[] }> {
    const result = await this.db.raw<{ rows: Array<{ deliveries: string; attempts: string; event_ids: string[] }> }>(
      `WITH doomed AS (
         SELECT d.id FROM deliveries d WHERE ${PRUNABLE}
          ORDER BY d.finished_at, d.id LIMIT ? FOR UPDATE OF d SKIP LOCKED
       ), gone_attempts AS (
         DELETE FROM attempts a USING doomed WHERE a.delivery_id = doomed.id RETURNING 1
       ), gone AS (
         DELETE FROM deliveries d USING doomed WHERE d.id = doomed.id RETURNING d.event_id
       )
       SELECT (SELECT count(*) FROM gone) AS deliveries, (SELECT count(*) FROM gone_attempts) AS attempts,
              ARRAY(SELECT DISTINCT event_id FROM gone) AS event_ids`,
      [cutoff, limit],
    );
    const row = result.rows[0]!;
    return { deliveries: Number(row.deliveries), attempts: Number(row.attempts), events: 0, eventIds: row.event_ids };
  }

  /**
   * Looks at up to `limit` events created before the cutoff, after `from` in (created_at, id) order, and deletes
   * those no delivery references any more. An event a delivery came to reference meanwhile (a replay) makes the
   * statement fail on its foreign key and is kept: the next pass goes on. Answers how many went and where to go on.
   */
  async deleteEventBatch(
    cutoff: Date,
    from: EventPosition | null,
    limit: number,
  ): Promise<{ events: number; next: EventPosition | null }> {
    const result = await this.db.raw<{ rows: Array<{ events: string; last_id: string | null; last_at: Date | null }> }>(
      `WITH candidates AS (
         SELECT e.id, e.created_at FROM events e
          WHERE e.created_at < ? AND (e.created_at, e.id) > (?::timestamptz, ?::uuid)
          ORDER BY e.created_at, e.id LIMIT ?
       ), gone AS (
         DELETE FROM events e USING candidates c
          WHERE e.id = c.id AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = c.id)
         RETURNING 1
       ), last AS (
         SELECT id, created_at FROM candidates ORDER BY created_at DESC, id DESC LIMIT 1
       )
       SELECT (SELECT count(*) FROM gone) AS events, (SELECT id FROM last) AS last_id,
              (SELECT created_at FROM last) AS last_at`,
      [cutoff, from?.createdAt ?? new Date(0), from?.id ?? '00000000-0000-0000-0000-000000000000', limit],
    );
    const row = result.rows[0]!;
    return {
      events: Number(row.events),
      next: row.last_id && row.last_at ? { id: row.last_id, createdAt: row.last_at } : null,
    };
  }

  /** What pruning at this cutoff would remove now (the dry run). */
  async countPrunable(cutoff: Date): Promise<PrunedCounts> {
    const result = await this.db.raw<{ rows: Array<{ deliveries: string; attempts: string; events: string }> }>(
      `WITH doomed AS (SELECT d.id FROM deliveries d WHERE ${PRUNABLE})
       SELECT (SELECT count(*) FROM doomed) AS deliveries,
              (SELECT count(*) FROM attempts a JOIN doomed ON a.delivery_id = doomed.id) AS attempts,
              (SELECT count(*) FROM events e WHERE e.created_at < ?
                  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id
                                     AND d.id NOT IN (SELECT id FROM doomed))) AS events`,
      [cutoff, cutoff],
    );
    const row = result.rows[0]!;
    return { deliveries: Number(row.deliveries), attempts: Number(row.attempts), events: Number(row.events) };
  }
}
