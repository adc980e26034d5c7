import { randomUUID } from 'node:crypto';
import type { Database } from '../db/create-database';
import type { DeliveryModeFilter } from './delivery-mode-filter';
import { encryptBasicAuth, type BasicAuthCredentials } from '../secrets/basic-auth-credentials';
import type { SecretCipher } from '../secrets/secret-cipher';
import { DEFAULT_SIGNATURE_SCHEME, type SignatureScheme } from '../signature/signature-scheme';
import { isStandardWebhooksSecret } from '../signature/standard-webhooks-signature';
import { toWebhook, type WebhookRow } from './webhook-row';
import type { Webhook } from './webhook';

/** A webhook's stored (encrypted) secrets, as re-encryption reads and swaps them. */
export interface StoredSecrets {
  id: string;
  secret: string;
  previousSecret: string | null;
  /** The Basic Auth credentials, encrypted like the secrets. */
  basicAuth: string | null;
}

/** The encrypted columns of a webhook, by their StoredSecrets names. */
export type StoredSecretColumn = Exclude<keyof StoredSecrets, 'id'>;

export type NewWebhook = Pick<
  Webhook,
  'teamId' | 'routeId' | 'name' | 'url' | 'events' | 'enabled' | 'includeMachineEvents'
> & {
  secret: string;
  signatureScheme?: SignatureScheme;
  basicAuth?: BasicAuthCredentials | null;
  deliveryModeFilter?: DeliveryModeFilter | null;
};

/** Each encrypted column's name in the table. */
const STORED_COLUMNS = { secret: 'secret', previousSecret: 'previous_secret', basicAuth: 'basic_auth' } as const;

/**
 * The only way to write a webhook's signing secrets and Basic Auth credentials, which are encrypted at rest: it
 * cannot be built without the cipher, so no code path can write one in clear. Attempts read them through AttemptPlanStore, which needs it too;
 * re-encryption reads and swaps them still encrypted (ADR 12).
 */
export class WebhookSecretStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: SecretCipher,
  ) {}

  /**
   * Creates the webhook only if its route is a live route of the team (undefined otherwise). The route row is
   * share-locked meanwhile, so a concurrent delete of the route waits and then deletes the new webhook too.
   */
  async createOnLiveRoute(input: NewWebhook): Promise<Webhook | undefined> {
    return this.db.transaction(async (trx) => {
      const route = await trx('routes')
        .where({ id: input.routeId, team_id: input.teamId })
        .whereNull('deleted_at')
        .forShare()
        .first('id');
      if (!route) return undefined;
      const [row] = await trx<WebhookRow>('webhooks')
        .insert({
          id: randomUUID(),
          team_id: input.teamId,
          route_id: input.routeId,
          name: input.name,
          url: input.url,
          events: input.events,
          enabled: input.enabled,
          include_machine_events: input.includeMachineEvents,
          signature_scheme: input.signatureScheme ?? DEFAULT_SIGNATURE_SCHEME,
          secret: this.cipher.encrypt(input.secret),
          basic_auth: input.basicAuth ? encryptBasicAuth(this.cipher, input.basicAuth) : null,
          delivery_mode_filter: input.deliveryModeFilter ?? null,
        })
        .returning('*');
      return toWebhook(row!);
    });
  }

  /**
   * Webhooks, deleted ones included, with a stored secret or Basic Auth value not yet encrypted with the key `keyPrefix` names
   * (`enc:v2:<id>:`), in id order after `afterId`: the batches of re-encryption, which a rerun resumes by skipping
   * every row already done.
   */
  async listNotOnKey(keyPrefix: string, afterId: string | null, limit: number): Promise<StoredSecrets[]> {
    const rows: StoredSecretsRow[] = await this.db<WebhookRow>('webhooks')
      .where((q) => {
        if (afterId) q.where('id', '>', afterId);
      })
      .where((q) =>
        q
          .whereRaw('secret NOT LIKE ?', [`${keyPrefix}%`])
          .orWhereRaw('(previous_secret IS NOT NULL AND previous_secret NOT LIKE ?)', [`${keyPrefix}%`])
          .orWhereRaw('(basic_auth IS NOT NULL AND basic_auth NOT LIKE ?)', [`${keyPrefix}%`]),
      )
      .orderBy('id')
      .limit(limit)
      .select(...STORED_SECRETS_SELECT);
    return rows.map(toStoredSecrets);
  }

  async findStoredSecrets(id: string): Promise<StoredSecrets | undefined> {
    const row: StoredSecretsRow | undefined = await this.db<WebhookRow>('webhooks')
      .where({ id })
      .first(...STORED_SECRETS_SELECT);
    return row && toStoredSecrets(row);
  }

  /**
   * Writes re-encrypted values, each column only if it still holds the value it was computed from (compare and
   * swap): a rotation or another re-encryption in between is never overwritten. Answers the columns it wrote.
   */
  async swapStoredSecrets(
    id: string,
    swaps: Partial<Record<StoredSecretColumn, { from: string; to: string }>>,
  ): Promise<Record<StoredSecretColumn, boolean>> {
    // '' never matches a stored value (encrypted values are never empty), so a column without a swap is left as it
    // is. The CASEs see the row as it is when locked, so a rotation or a new Basic Auth committed meanwhile wins.
    const none = '';
    const columns = Object.entries(STORED_COLUMNS) as Array<[StoredSecretColumn, string]>;
    const sets = columns.map(([, name]) => `${name} = CASE WHEN ${name} = ? THEN ? ELSE ${name} END`);
    const checks = columns.map(([, name]) => `${name} IS NOT DISTINCT FROM ? AS ${name}_swapped`);
    const result = await this.db.raw<{ rows: Array<Record<string, boolean>> }>(
      `UPDATE webhooks SET ${sets.join(', ')} WHERE id = ? RETURNING ${checks.join(', ')}`,
      [
        ...columns.flatMap(([key]) => [swaps[key]?.from ?? none, swaps[key]?.to ?? none]),
        id,
        ...columns.map(([key]) => swaps[key]?.to ?? none),
      ],
    );
    const row = result.rows[0];
    const swapped = (key: StoredSecretColumn) =>
      swaps[key] !== undefined && row?.[`${STORED_COLUMNS[key]}_swapped`] === true;
    return { secret: swapped('secret'), previousSecret: swapped('previousSecret'), basicAuth: swapped('basicAuth') };
  }

  /** Sets (or with null removes) the Basic Auth credentials; undefined when the webhook is unknown. */
  async setBasicAuth(
    teamId: string,
    id: string,
    credentials: BasicAuthCredentials | null,
  ): Promise<Webhook | undefined> {
    const [row] = await this.db<WebhookRow>('webhooks')
      .where({ id, team_id: teamId })
      .whereNull('deleted_at')
      .update({
        basic_auth: credentials ? encryptBasicAuth(this.cipher, credentials) : null,
        updated_at: this.db.fn.now() as unknown as Date,
      })
      .returning('*');
    return row && toWebhook(row);
  }

  /**
   * Replaces the secret. With a grace period the old secret keeps signing too (as the first v1) until it expires.
   */
  async rotateSecret(
    teamId: string,
    id: string,
    newSecret: string,
    graceSeconds: number,
  ): Promise<Webhook | undefined> {
    const [row] = await this.db<WebhookRow>('webhooks')
      .where({ id, team_id: teamId })
      .whereNull('deleted_at')
      .update({
        previous_secret: graceSeconds > 0 ? this.db.ref('secret') : null,
        previous_secret_expires_at:
          graceSeconds > 0 ? this.db.raw(`now() + make_interval(secs => ?)`, [graceSeconds]) : null,
        secret: this.cipher.encrypt(newSecret),
        updated_at: this.db.fn.now(),
      } as never)
      .returning('*');
    return row && toWebhook(row);
  }

  /**
   * Whether the webhook's current secret can sign in Standard Webhooks mode (`whsec_` + base64); undefined when the
   * webhook is unknown. A rotation racing this check only ever makes the answer true (new secrets always can).
   */
  async currentSecretFitsStandardWebhooks(teamId: string, id: string): Promise<boolean | undefined> {
    const row = await this.db<WebhookRow>('webhooks')
      .where({ id, team_id: teamId })
      .whereNull('deleted_at')
      .first('secret');
    return row && isStandardWebhooksSecret(this.cipher.decrypt(row.secret));
  }
}

type StoredSecretsRow = Pick<WebhookRow, 'id' | 'secret' | 'previous_secret' | 'basic_auth'>;
const STORED_SECRETS_SELECT = ['id', 'secret', 'previous_secret', 'basic_auth'] as const;

function toStoredSecrets(row: StoredSecretsRow): StoredSecrets {
  return { id: row.id, secret: row.secret, previousSecret: row.previous_secret, basicAuth: row.basic_auth };
}
