import type { Knex } from 'knex';

/**
 * What pruning old history needs (ADR 13), built without blocking deliveries on a large install: the indexes are
 * created CONCURRENTLY (so outside a transaction), and the foreign key is added NOT VALID, then validated, which
 * does not lock writes out while it scans.
 *
 * - Finished deliveries by the time they finished, the order pruning walks them in.
 * - Events by creation time, for the events no delivery references any more.
 * - A replay keeps living when the delivery it replays is pruned: `replay_of` becomes null.
 * - An attempt's event is its delivery's, which the delivery's foreign key already guards; a second key from
 *   attempts to events would make every event delete scan the attempts table (nothing indexes `attempts.event_id`,
 *   and an index there would cost every attempt write).
 */
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  // Final deliveries written before finished_at was kept everywhere: their last change stands for it.
  await knex.raw(`UPDATE deliveries SET finished_at = updated_at WHERE status <> 'pending' AND finished_at IS NULL`);
  await knex.raw(
    `CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_finished ON deliveries (finished_at, id) WHERE status <> 'pending'`,
  );
  await knex.raw('CREATE INDEX CONCURRENTLY IF NOT EXISTS events_created ON events (created_at, id)');
  await knex.raw('ALTER TABLE attempts DROP CONSTRAINT IF EXISTS attempts_event_id_foreign');
  await knex.raw(
    `ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_replay_of_foreign,
       ADD CONSTRAINT deliveries_replay_of_foreign FOREIGN KEY (replay_of) REFERENCES deliveries (id)
         ON DELETE SET NULL NOT VALID`,
  );
  await knex.raw('ALTER TABLE deliveries VALIDATE CONSTRAINT deliveries_replay_of_foreign');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_replay_of_foreign,
       ADD CONSTRAINT deliveries_replay_of_foreign FOREIGN KEY (replay_of) REFERENCES deliveries (id)`,
  );
  await knex.raw(
    'ALTER TABLE attempts ADD CONSTRAINT attempts_event_id_foreign FOREIGN KEY (event_id) REFERENCES events (id)',
  );
  await knex.raw('DROP INDEX CONCURRENTLY IF EXISTS events_created');
  await knex.raw('DROP INDEX CONCURRENTLY IF EXISTS deliveries_finished');
}
