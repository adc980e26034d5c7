import type { Knex } from 'knex';

/**
 * Tokens can be revoked: the row stays (listed, with when it was last used and revoked) and authentication refuses
 * it from the next request on, in every API process, since every request reads the row. Lists go by team and time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.timestamp('revoked_at', { useTz: true });
    t.index(['team_id', 'created_at', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.dropIndex(['team_id', 'created_at', 'id']);
    t.dropColumn('revoked_at');
  });
}
