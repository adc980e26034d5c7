import type { Knex } from 'knex';

/**
 * Dashboard sign-in sessions. Kept in Postgres, not in a process, so that any of several API processes behind a
 * load balancer answers a signed-in browser. A session stands for the API token it was opened with: deleting the
 * token ends its sessions, and the principal (team, scopes) is always read from the token.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dashboard_sessions', (t) => {
    t.uuid('id').primary();
    /** SHA-256 of the cookie's random session id: a database leak opens no session. */
    t.string('session_hash', 64).notNullable().unique();
    t.uuid('token_id').notNullable().references('api_tokens.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('dashboard_sessions');
}
