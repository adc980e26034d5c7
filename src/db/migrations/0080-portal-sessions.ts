import type { Knex } from 'knex';

/**
 * Portal sessions: a platform's customer given a link that opens the dashboard on one project or one route.
 * One row is both the one-time link (`link_hash`) and, once the link is used, the session it became
 * (`session_hash`); using it sets `redeemed_at`, so a second use finds it spent. Both are SHA-256 of random
 * values: a database leak opens nothing. The session stands for the token that created it: revoking that token
 * ends it, as it ends the token's dashboard sessions.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portal_sessions', (t) => {
    t.uuid('id').primary();
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('token_id').notNullable().references('api_tokens.id').onDelete('CASCADE');
    t.uuid('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    /** Null: the whole project. */
    t.uuid('route_id').nullable().references('routes.id').onDelete('CASCADE');
    t.string('link_hash', 64).notNullable().unique();
    t.string('session_hash', 64).nullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('redeemed_at', { useTz: true }).nullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.index(['team_id', 'created_at']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('portal_sessions');
}
