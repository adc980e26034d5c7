import type { Knex } from 'knex';

/**
 * Soft deletes (`deleted_at`) everywhere a customer can delete: a delivery that is waiting between attempts must
 * still find its webhook row to learn that it was deleted, and the attempt history outlives the webhook.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('teams', (t) => {
    t.uuid('id').primary();
    t.string('name', 255).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary();
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.string('name', 255).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.specificType('scopes', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
  });

  await knex.schema.createTable('projects', (t) => {
    t.uuid('id').primary();
    t.uuid('team_id').notNullable().references('teams.id');
    t.string('name', 255).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
    t.index(['team_id', 'created_at']);
  });

  await knex.schema.createTable('routes', (t) => {
    t.uuid('id').primary();
    t.uuid('team_id').notNullable().references('teams.id');
    t.uuid('project_id').notNullable().references('projects.id');
    t.string('slug', 255).notNullable();
    t.string('name', 255).notNullable();
    t.string('route_type', 32).notNullable();
    t.boolean('is_default').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
    t.index(['project_id', 'created_at']);
  });
  await knex.raw('CREATE UNIQUE INDEX routes_project_slug_live ON routes (project_id, slug) WHERE deleted_at IS NULL');

  await knex.schema.createTable('webhooks', (t) => {
    t.uuid('id').primary();
    t.uuid('team_id').notNullable().references('teams.id');
    t.uuid('route_id').notNullable().references('routes.id');
    t.string('name', 255).notNullable();
    t.string('url', 500).notNullable();
    t.specificType('events', 'text[]').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.boolean('include_machine_events').notNullable().defaultTo(false);
    t.text('secret').notNullable();
    t.text('previous_secret');
    t.timestamp('previous_secret_expires_at', { useTz: true });
    t.timestamp('last_called_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
    t.index(['team_id', 'created_at']);
    t.index(['route_id']);
  });

  await knex.schema.createTable('events', (t) => {
    t.uuid('id').primary();
    t.uuid('team_id').notNullable().references('teams.id');
    t.uuid('route_id').notNullable().references('routes.id');
    t.string('envelope_id', 255).notNullable();
    t.string('event_type', 64).notNullable();
    /** The exact bytes every attempt sends: serialised once, never re-serialised. */
    t.text('body').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['route_id', 'envelope_id']);
  });

  await knex.schema.createTable('deliveries', (t) => {
    t.uuid('id').primary();
    t.uuid('team_id').notNullable().references('teams.id');
    t.uuid('event_id').notNullable().references('events.id');
    t.uuid('webhook_id').notNullable().references('webhooks.id');
    t.uuid('route_id').notNullable().references('routes.id');
    t.string('workflow_id', 255).notNullable().unique();
    t.string('status', 16).notNullable().defaultTo('pending');
    t.text('status_reason');
    t.integer('attempts_count').notNullable().defaultTo(0);
    t.string('last_attempt_status', 16);
    t.timestamp('last_attempt_at', { useTz: true });
    t.timestamp('next_attempt_at', { useTz: true });
    t.uuid('replay_of').references('deliveries.id');
    /** Null until Temporal accepted the start: the outbox sweeper starts any row left null. */
    t.timestamp('workflow_started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['event_id']);
    t.index(['webhook_id', 'status', 'created_at']);
  });
  await knex.raw('CREATE INDEX deliveries_unstarted ON deliveries (created_at) WHERE workflow_started_at IS NULL');

  await knex.schema.createTable('attempts', (t) => {
    t.uuid('id').primary();
    t.uuid('team_id').notNullable().references('teams.id');
    t.uuid('delivery_id').notNullable().references('deliveries.id');
    t.uuid('webhook_id').notNullable().references('webhooks.id');
    t.uuid('event_id').notNullable().references('events.id');
    t.string('event_type', 64).notNullable();
    t.integer('attempt_number').notNullable();
    t.string('status', 16).notNullable().defaultTo('pending');
    t.integer('http_status_code');
    t.integer('duration_ms');
    t.jsonb('request_headers');
    t.jsonb('response_headers');
    t.text('response_body');
    t.text('error_message');
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['delivery_id', 'attempt_number']);
    t.index(['webhook_id', 'created_at', 'id']);
    t.index(['webhook_id', 'status', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['attempts', 'deliveries', 'events', 'webhooks', 'routes', 'projects', 'api_tokens', 'teams']) {
    await knex.schema.dropTableIfExists(table);
  }
}
