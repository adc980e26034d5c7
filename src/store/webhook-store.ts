import type { Database } from '../db/create-database';
import { MODE_FILTER_RECEIVING_NO_EVENT } from './delivery-mode-filter';
import { fetchKeysetPage, type KeysetPage, type PageRequest } from './keyset-page';
import type { Webhook } from './webhook';
import { toWebhook, type WebhookRow } from './webhook-row';

export type WebhookChanges = Partial<
  Pick<
    Webhook,
    'name' | 'url' | 'events' | 'enabled' | 'includeMachineEvents' | 'signatureScheme' | 'deliveryModeFilter'
  >
>;

/** What the webhook list can be narrowed to; every field is optional. */
export interface WebhookFilters {
  routeId?: string;
  /** Webhooks whose route belongs to this project. */
  projectId?: string;
  /** Every webhook is route-scoped: `team` and `project` match none. */
  scope?: 'team' | 'project' | 'route';
  enabled?: boolean;
  /** Webhooks subscribed to this event type. */
  event?: string;
  /** Case-insensitive substring of the name or the URL. */
  search?: string;
}

/** Webhooks without their secrets: listing, subscriptions, changes and deletes. */
export class WebhookStore {
  constructor(private readonly db: Database) {}

  async findById(teamId: string, id: string): Promise<Webhook | undefined> {
    const row = await this.db<WebhookRow>('webhooks').where({ id, team_id: teamId }).whereNull('deleted_at').first();
    return row && toWebhook(row);
  }

  /** One page of the team's live webhooks matching the filters (sort columns aliased `w.`). */
  async listPage(teamId: string, filters: WebhookFilters, request: PageRequest): Promise<KeysetPage<Webhook>> {
    const query = this.db('webhooks as w').select('w.*').where('w.team_id', teamId).whereNull('w.deleted_at');
    if (filters.routeId !== undefined) query.andWhere('w.route_id', filters.routeId);
    if (filters.projectId !== undefined) {
      query.whereIn(
        'w.route_id',
        this.db('routes').select('id').where({ team_id: teamId, project_id: filters.projectId }),
      );
    }
    if (filters.scope !== undefined && filters.scope !== 'route') query.whereRaw('false');
    if (filters.enabled !== undefined) query.andWhere('w.enabled', filters.enabled);
    if (filters.event !== undefined) query.whereRaw('? = ANY(w.events)', [filters.event]);
    if (filters.search !== undefined) {
      const pattern = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere((q) => q.whereILike('w.name', pattern).orWhereILike('w.url', pattern));
    }
    return fetchKeysetPage(this.db, query, request, 'w.id', toWebhook);
  }

  /** The enabled webhooks of a route that subscribe to an event type. */
  async listSubscribed(routeId: string, eventType: string): Promise<Webhook[]> {
    const rows = await this.db<WebhookRow>('webhooks')
      .where({ route_id: routeId, enabled: true })
      .whereNull('deleted_at')
      .whereRaw('? = ANY(events)', [eventType])
      .whereRaw('delivery_mode_filter IS DISTINCT FROM ?', [MODE_FILTER_RECEIVING_NO_EVENT])
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
    if (changes.signatureScheme !== undefined) patch.signature_scheme = changes.signatureScheme;
    if (changes.deliveryModeFilter !== undefined) patch.delivery_mode_filter = changes.deliveryModeFilter;
    const [row] = await this.db<WebhookRow>('webhooks')
      .where({ id, team_id: teamId })
      .whereNull('deleted_at')
      .update({ ...patch, updated_at: this.db.fn.now() as unknown as Date })
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
}

/** Part of deleting routes: their live webhooks, whose ids are returned so their deliveries can be stopped. */
export async function softDeleteWebhooksOfRoutes(db: Database, routeIds: string[]): Promise<string[]> {
  if (routeIds.length === 0) return [];
  const rows: Array<{ id: string }> = await db('webhooks')
    .whereIn('route_id', routeIds)
    .whereNull('deleted_at')
    .update({ deleted_at: db.fn.now(), enabled: false })
    .returning('id');
  return rows.map((row) => row.id);
}
