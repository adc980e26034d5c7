import type { Knex } from 'knex';

/**
 * Cancelling a delivery is a Postgres write (the attempt checks it before sending); telling its workflow is left to
 * a background sweep, so an API request never waits on Temporal, and thousands of deliveries cancel in pages.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deliveries', (t) => {
    /** Set when Postgres cancelled the delivery and its workflow has still to be told; cleared once it was. */
    t.timestamp('cancel_requested_at', { useTz: true });
  });
  await knex.raw(
    'CREATE INDEX deliveries_cancel_requested ON deliveries (cancel_requested_at) WHERE cancel_requested_at IS NOT NULL',
  );
  // The outbox sweeper starts pending deliveries only; a cancelled one never started needs no workflow at all.
  await knex.raw('DROP INDEX IF EXISTS deliveries_unstarted');
  await knex.raw(
    "CREATE INDEX deliveries_unstarted ON deliveries (created_at) WHERE workflow_started_at IS NULL AND status = 'pending'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS deliveries_unstarted');
  await knex.raw('CREATE INDEX deliveries_unstarted ON deliveries (created_at) WHERE workflow_started_at IS NULL');
  await knex.raw('DROP INDEX IF EXISTS deliveries_cancel_requested');
  await knex.schema.alterTable('deliveries', (t) => {
    t.dropColumn('cancel_requested_at');
  });
}
