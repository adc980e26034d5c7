import type { Knex } from 'knex';

/**
 * Lettermint's newer webhook fields (issue 11). `basic_auth` holds the receiver's Basic Auth credentials, encrypted
 * like the signing secret (the cipher's encryption of `{"username","password"}` as JSON), so the check only lets
 * an encrypted value in. `delivery_mode_filter` is null until a client sets it. Both are nullable without a default:
 * catalogue changes in Postgres, no table rewrite.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE webhooks
       ADD COLUMN basic_auth text NULL CONSTRAINT webhooks_basic_auth_encrypted CHECK (basic_auth LIKE 'enc:%'),
       ADD COLUMN delivery_mode_filter text NULL
         CONSTRAINT webhooks_delivery_mode_filter_known CHECK (delivery_mode_filter IN ('live', 'sandbox', 'both'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE webhooks DROP COLUMN basic_auth, DROP COLUMN delivery_mode_filter');
}
