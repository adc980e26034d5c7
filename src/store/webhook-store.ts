import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Database } from '../db/create-database';
import type { SecretCipher } from '../secrets/secret-cipher';

/** A webhook as the rest of the code sees it. The secret never leaves this module unless asked for. */
export interface Webhook {
  id: string;
  teamId: string;
  routeId: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  includeMachineEvents: boolean;
  lastCalledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What an attempt needs to sign and send: the current URL and every secret valid right now, oldest first. */
export interface WebhookTarget {
  state: 'active' | 'disabled' | 'deleted';
  url: string;
  secrets: string[];
}

export interface NewWebhook {
  teamId: string;
  routeId: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  includeMachineEvents: boolean;
  secret: string;
}

export type WebhookChanges = Partial<Pick<Webhook, 'name' | 'url' | 'events' | 'enabled' | 'includeMachineEvents'>>;

/** What the webhook list can be narrowed to; every field is optional. */
export interface WebhookFilters {
  routeId?: string;
  enabled?: boolean;
  /** Webhooks subscribed to this event type. */
  event?: string;
  /** Case-insensitive substring of the name or the URL. */
  search?: string;
}

export interface WebhookRow {
  id: string;
  team_id: string;
  route_id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  include_machine_events: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  last_called_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export class WebhookStore {
  /**
   * @param cipher encrypts secrets at rest; only the methods that read or write a secret need it, and they refuse
   * to run without one rather than touch a secret in clear.
   */
  constructor(
    private readonly db: Database,
    private readonly cipher?: SecretCipher,
  ) {}

  private requireCipher(): SecretCipher {
    if (!this.cipher) throw new Error('WebhookStore needs a SecretCipher to read or write webhook secrets');
    return this.cipher;
  }

  async create(input: NewWebhook): Promise<Webhook> {
    const [row] = await this.db<WebhookRow>('webhooks')
      .insert({
        id: randomUUID(),
        team_id: input.teamId,
        route_id: input.routeId,
        name: input.name,
        url: input.url,
        events: input.events,
        enabled: input.enabled,
        include_machine_events: input.includeMachineEvents,
        secret: this.requireCipher().encrypt(input.secret),
      })
      .returning('*');
    return toWebhook(row!);
  }

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
      return new WebhookStore(trx, this.cipher).create(input);
    });
  }

  /** The team's live webhooks matching the filters, for a cursor page over `w.created_at`, `w.id`. */
  listQuery(teamId: string, filters: WebhookFilters): Knex.QueryBuilder<WebhookRow, WebhookRow[]> {
    const query = this.db('webhooks as w')
      .select<WebhookRow[]>('w.*')
      .where('w.team_id', teamId)
      .whereNull('w.deleted_at');
    if (filters.routeId !== undefined) query.andWhere('w.route_id', filters.routeId);
    if (filters.enabled !== undefined) query.andWhere('w.enabled', filters.enabled);
    if (filters.event !== undefined) query.whereRaw('? = ANY(w.events)', [filters.event]);
    if (filters.search !== undefined) {
      const pattern = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere((q) => q.whereILike('w.name', pattern).orWhereILike('w.url', pattern));
    }
    return query;
  }

  async findById(teamId: string, id: string): Promise<Webhook | undefined> {
    const row = await this.db<WebhookRow>('webhooks').where({ id, team_id: teamId }).whereNull('deleted_at').first();
    return row && toWebhook(row);
  }

  async findSecret(teamId: string, id: string): Promise<string | undefined> {
    const row = await this.db<WebhookRow>('webhooks')
      .where({ id, team_id: teamId })
      .whereNull('deleted_at')
      .first('secret');
    return row && this.requireCipher().decrypt(row.secret);
  }

  /** Read before every attempt, so a new URL or secret applies to the next attempt of deliveries under way. */
  async findTarget(id: string, now: Date): Promise<WebhookTarget> {
    const row = await this.db<WebhookRow>('webhooks').where({ id }).first();
    if (!row || row.deleted_at) return { state: 'deleted', url: row?.url ?? '', secrets: [] };
    const cipher = this.requireCipher();
    const secrets =
      row.previous_secret && row.previous_secret_expires_at && row.previous_secret_expires_at > now
        ? [cipher.decrypt(row.previous_secret), cipher.decrypt(row.secret)]
        : [cipher.decrypt(row.secret)];
    return { state: row.enabled ? 'active' : 'disabled', url: row.url, secrets };
  }

  /** The enabled webhooks of a route that subscribe to an event type. */
  async listSubscribed(routeId: string, eventType: string): Promise<Array<Webhook>> {
    const rows = await this.db<WebhookRow>('webhooks')
      .where({ route_id: routeId, enabled: true })
      .whereNull('deleted_at')
      .whereRaw('? = ANY(events)', [eventType])
      .orderBy('created_at');
    return rows.map(toWebhook);
  }

  async update(teamId: string, id: string, changes: WebhookChanges): Promise<Webhook | undefined> {
    const patch: Partial<WebhookRow> = {};
    if (changes.name !== undefined) patch.name = changes.name;
    if (changes.url !== undefined) patch.url = changes.url;
    if (changes.events !== undefined) patch.events = changes.events;
    if (changes.enabled !== undefined) patch.enabled = changes.enabled;
    if (changes.includeMachineEvents !== undefined) patch.include_machine_events = changes.includeMachineEvents;
    const [row] = await this.db<WebhookRow>('webhooks')
      .where({ id, team_id: teamId })
      .whereNull('deleted_at')
      .update({ ...patch, updated_at: this.db.fn.now() as unknown as Date })
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
        secret: this.requireCipher().encrypt(newSecret),
        updated_at: this.db.fn.now(),
      } as never)
      .returning('*');
    return row && toWebhook(row);
  }

  async softDelete(teamId: string, id: string): Promise<boolean> {
    const count = await this.db<WebhookRow>('webhooks')
      .where({ id, team_id: teamId })
      .whereNull('deleted_at')
      .update({ deleted_at: this.db.fn.now() as unknown as Date, enabled: false });
    return count > 0;
  }

  /** Part of deleting routes: their live webhooks, whose ids are returned so their deliveries can be stopped. */
  async softDeleteForRoutes(routeIds: string[]): Promise<string[]> {
    if (routeIds.length === 0) return [];
    const rows: Array<{ id: string }> = await this.db('webhooks')
      .whereIn('route_id', routeIds)
      .whereNull('deleted_at')
      .update({ deleted_at: this.db.fn.now(), enabled: false })
      .returning('id');
    return rows.map((row) => row.id);
  }

  async touchLastCalled(id: string, at: Date): Promise<void> {
    await this.db('webhooks').where({ id }).update({ last_called_at: at });
  }
}

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    teamId: row.team_id,
    routeId: row.route_id,
    name: row.name,
    url: row.url,
    events: row.events,
    enabled: row.enabled,
    includeMachineEvents: row.include_machine_events,
    lastCalledAt: row.last_called_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
