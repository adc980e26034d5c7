import type { Knex } from 'knex';

/** Replays: a replay of a delivery is a new delivery; bulk replays are durable jobs that create many. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('replay_jobs', (t) => {
    t.uuid('id').primary();
    t.uuid('team_id').notNullable().references('teams.id');
    t.uuid('webhook_id').notNullable().references('webhooks.id');
    t.string('workflow_id', 255).notNullable().unique();
    /** What to replay: statuses, event types and the created_at window, as the request gave them. */
    t.jsonb('filter').notNullable();
    t.integer('rate_per_second').notNullable();
    t.string('status', 16).notNullable().defaultTo('running');
    t.integer('total').notNullable();
    /** Candidates gone through; the deliveries it created are counted from `deliveries.replay_job_id`. */
    t.integer('processed').notNullable().defaultTo(0);
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['team_id', 'created_at']);
  });
  await knex.schema.alterTable('deliveries', (t) => {
    t.uuid('replay_job_id').references('replay_jobs.id');
    t.index(['replay_of']);
  });
  // A bulk job that resumes after a crash must not replay the same delivery twice.
  await knex.raw(
    'CREATE UNIQUE INDEX deliveries_replay_job_original ON deliveries (replay_job_id, replay_of) WHERE replay_job_id IS NOT NULL',
  );
  // Bulk replay looks up a webhook's finished deliveries by status and time.
  await knex.raw('CREATE INDEX deliveries_webhook_created ON deliveries (webhook_id, created_at, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS deliveries_webhook_created');
  await knex.raw('DROP INDEX IF EXISTS deliveries_replay_job_original');
  await knex.schema.alterTable('deliveries', (t) => {
    t.dropColumn('replay_job_id');
  });
  await knex.schema.dropTableIfExists('replay_jobs');
}
