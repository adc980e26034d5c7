import type { Knex } from 'knex';

/**
 * Standard Webhooks mode is opt-in per webhook (ADR 0011): every existing webhook stays `lettermint`. A constant
 * default makes the ADD COLUMN a catalogue change in Postgres 11+, no table rewrite.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE webhooks ADD COLUMN signature_scheme text NOT NULL DEFAULT 'lettermint'
       CONSTRAINT webhooks_signature_scheme_known CHECK (signature_scheme IN ('lettermint', 'standard_webhooks'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE webhooks DROP COLUMN signature_scheme');
}
