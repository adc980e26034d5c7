import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Database } from '../db/create-database';
import { fetchKeysetPage, type KeysetPage, type PageRequest } from './keyset-page';
import { softDeleteWebhooksOfRoutes } from './webhook-store';

export const ROUTE_TYPES = ['transactional', 'broadcast', 'inbound'] as const;
export type RouteType = (typeof ROUTE_TYPES)[number];

export interface Route {
  id: string;
  teamId: string;
  projectId: string;
  slug: string;
  name: string;
  routeType: RouteType;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A route as the API shows it: with the number of its live webhooks. */
export interface RouteWithCount extends Route {
  webhooksCount: number;
}

export interface NewRoute {
  teamId: string;
  projectId: string;
  name: string;
  slug: string;
  routeType: RouteType;
}

export type RouteWriteResult = { kind: 'ok'; route: RouteWithCount } | { kind: 'not_found' } | { kind: 'slug_taken' };

interface RouteRow {
  id: string;
  team_id: string;
  project_id: string;
  slug: string;
  name: string;
  route_type: RouteType;
  is_default: boolean;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

type RouteRowWithCount = RouteRow & { webhooks_count: number };

/** The partial unique index that keeps a slug unique among a project's live routes. */
const SLUG_INDEX = 'routes_project_slug_live';

export class RouteStore {
  constructor(private readonly db: Database) {}

  async findById(teamId: string, id: string): Promise<Route | undefined> {
    const row = await this.db<RouteRow>('routes').where({ id, team_id: teamId }).whereNull('deleted_at').first();
    return row && toRoute(row);
  }

  /** The team's live routes among these ids. */
  async findManyByIds(teamId: string, ids: readonly string[]): Promise<Route[]> {
    if (ids.length === 0) return [];
    const rows = await this.db<RouteRow>('routes')
      .whereIn('id', ids)
      .where({ team_id: teamId })
      .whereNull('deleted_at');
    return rows.map(toRoute);
  }

  async findWithCount(teamId: string, id: string): Promise<RouteWithCount | undefined> {
    const row = await this.selectWithCount()
      .where('r.id', id)
      .andWhere('r.team_id', teamId)
      .whereNull('r.deleted_at')
      .first();
    return row && toRouteWithCount(row);
  }

  /** One page of a project's live routes with their webhook counts (sort columns aliased `r.`). */
  async listPage(teamId: string, projectId: string, request: PageRequest): Promise<KeysetPage<RouteWithCount>> {
    const query = this.selectWithCount()
      .where('r.team_id', teamId)
      .andWhere('r.project_id', projectId)
      .whereNull('r.deleted_at');
    return fetchKeysetPage(this.db, query, request, 'r.id', toRouteWithCount);
  }

  /** The first live route of a project becomes its default route. */
  async create(input: NewRoute): Promise<RouteWriteResult> {
    try {
      const id = await this.db.transaction(async (trx) => {
        // Locked so that the project cannot be deleted under the new route and two first routes cannot both be default.
        const project = await trx('projects')
          .where({ id: input.projectId, team_id: input.teamId })
          .whereNull('deleted_at')
          .forUpdate()
          .first('id');
        if (!project) return undefined;
        const sibling = await trx('routes').where({ project_id: input.projectId }).whereNull('deleted_at').first('id');
        const [row] = await trx<RouteRow>('routes')
          .insert({
            id: randomUUID(),
            team_id: input.teamId,
            project_id: input.projectId,
            slug: input.slug,
            name: input.name,
            route_type: input.routeType,
            is_default: !sibling,
          })
          .returning('id');
        return row!.id;
      });
      if (!id) return { kind: 'not_found' };
      return { kind: 'ok', route: (await this.findWithCount(input.teamId, id))! };
    } catch (err) {
      if (isSlugClash(err)) return { kind: 'slug_taken' };
      throw err;
    }
  }

  async update(teamId: string, id: string, changes: { name?: string; slug?: string }): Promise<RouteWriteResult> {
    try {
      const count = await this.db<RouteRow>('routes')
        .where({ id, team_id: teamId })
        .whereNull('deleted_at')
        .update({
          ...(changes.name !== undefined && { name: changes.name }),
          ...(changes.slug !== undefined && { slug: changes.slug }),
          updated_at: this.db.fn.now() as unknown as Date,
        });
      if (count === 0) return { kind: 'not_found' };
    } catch (err) {
      if (isSlugClash(err)) return { kind: 'slug_taken' };
      throw err;
    }
    return { kind: 'ok', route: (await this.findWithCount(teamId, id))! };
  }

  /** Deletes the route and its webhooks in one transaction; answers the webhooks deleted, or undefined if none such. */
  async softDelete(teamId: string, id: string): Promise<{ webhookIds: string[] } | undefined> {
    return this.db.transaction(async (trx) => {
      const count = await trx('routes')
        .where({ id, team_id: teamId })
        .whereNull('deleted_at')
        .update({ deleted_at: trx.fn.now() });
      if (count === 0) return undefined;
      return { webhookIds: await softDeleteWebhooksOfRoutes(trx, [id]) };
    });
  }

  private selectWithCount(): Knex.QueryBuilder<RouteRowWithCount, RouteRowWithCount[]> {
    return this.db('routes as r').select<RouteRowWithCount[]>(
      'r.*',
      this.db.raw(
        '(SELECT count(*)::int FROM webhooks w WHERE w.route_id = r.id AND w.deleted_at IS NULL) AS webhooks_count',
      ),
    );
  }
}

/** Part of deleting a project: its live routes, whose ids are returned. */
export async function softDeleteRoutesOfProject(db: Database, projectId: string): Promise<string[]> {
  const rows: Array<{ id: string }> = await db('routes')
    .where({ project_id: projectId })
    .whereNull('deleted_at')
    .update({ deleted_at: db.fn.now() })
    .returning('id');
  return rows.map((row) => row.id);
}

function isSlugClash(err: unknown): boolean {
  const pg = err as { code?: string; constraint?: string };
  return pg.code === '23505' && pg.constraint === SLUG_INDEX;
}

function toRoute(row: RouteRow): Route {
  return {
    id: row.id,
    teamId: row.team_id,
    projectId: row.project_id,
    slug: row.slug,
    name: row.name,
    routeType: row.route_type,
    isDefault: row.is_default,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRouteWithCount(row: RouteRowWithCount): RouteWithCount {
  return { ...toRoute(row), webhooksCount: row.webhooks_count };
}
