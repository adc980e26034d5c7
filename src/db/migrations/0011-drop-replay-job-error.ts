import type { Knex } from 'knex';

/** A bulk replay never fails as a whole (a delivery it cannot replay is skipped), so it has no error to keep. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('replay_jobs', (t) => {
    t.dropColumn('error');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('replay_jobs', (t) => {
    t.text('error');
  });
}
