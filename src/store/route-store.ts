import type { Database } from '../db/create-database';

export type RouteType = 'transactional' | 'broadcast' | 'inbound';

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

export class RouteStore {
  constructor(private readonly db: Database) {}

  async findById(teamId: string, id: string): Promise<Route | undefined> {
    const row = await this.db<RouteRow>('routes').where({ id, team_id: teamId }).whereNull('deleted_at').first();
    return row && toRoute(row);
  }
}

export function toRoute(row: RouteRow): Route {
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
