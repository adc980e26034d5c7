import { randomUUID } from 'node:crypto';
import type { Database } from '../db/create-database';
import type { SecretCipher } from '../secrets/secret-cipher';
import { toWebhook, type WebhookRow } from './webhook-row';
import type { Webhook } from './webhook';

export type NewWebhook = Pick<
  Webhook,
  'teamId' | 'routeId' | 'name' | 'url' | 'events' | 'enabled' | 'includeMachineEvents'
> & { secret: string };

/**
 * The only way to write a webhook's signing secrets, which are encrypted at rest: it cannot be built without the
 * cipher, so no code path can write one in clear. Attempts read them through AttemptPlanStore, which needs it too.
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
          secret: this.cipher.encrypt(input.secret),
        })
        .returning('*');
      return toWebhook(row!);
    });
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
}
