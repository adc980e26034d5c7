import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Database } from '../db/create-database';
import { RouteStore } from './route-store';
import { WebhookStore } from './webhook-store';

/** A team's project: the parent of its routes. */
export interface Project {
  id: string;
  teamId: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProjectRow {
  id: string;
  team_id: string;
  name: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export class ProjectStore {
  constructor(private readonly db: Database) {}

  async create(teamId: string, name: string): Promise<Project> {
    const [row] = await this.db<ProjectRow>('projects')
      .insert({ id: randomUUID(), team_id: teamId, name })
      .returning('*');
    return toProject(row!);
  }

  async findById(teamId: string, id: string): Promise<Project | undefined> {
    const row = await this.db<ProjectRow>('projects').where({ id, team_id: teamId }).whereNull('deleted_at').first();
    return row && toProject(row);
  }

  /** The team's live projects, for a cursor page over `p.created_at`, `p.id`. */
  listQuery(teamId: string): Knex.QueryBuilder<ProjectRow, ProjectRow[]> {
    return this.db('projects as p').select<ProjectRow[]>('p.*').where('p.team_id', teamId).whereNull('p.deleted_at');
  }

  async update(teamId: string, id: string, changes: { name?: string }): Promise<Project | undefined> {
    const [row] = await this.db<ProjectRow>('projects')
      .where({ id, team_id: teamId })
      .whereNull('deleted_at')
      .update({
        ...(changes.name !== undefined && { name: changes.name }),
        updated_at: this.db.fn.now() as unknown as Date,
      })
      .returning('*');
    return row && toProject(row);
  }

  /**
   * Deletes the project with its routes and their webhooks, in one transaction. Answers the webhooks it deleted
   * (their pending deliveries must be stopped), or undefined when there was no such live project.
   */
  async softDelete(teamId: string, id: string): Promise<{ webhookIds: string[] } | undefined> {
    return this.db.transaction(async (trx) => {
      // Row-locks the project first, so a route being created in it concurrently either commits before this or fails.
      const count = await trx('projects')
        .where({ id, team_id: teamId })
        .whereNull('deleted_at')
        .update({ deleted_at: trx.fn.now() });
      if (count === 0) return undefined;
      const routeIds = await new RouteStore(trx).softDeleteForProject(id);
      return { webhookIds: await new WebhookStore(trx).softDeleteForRoutes(routeIds) };
    });
  }
}

export function toProject(row: ProjectRow): Project {
  return { id: row.id, teamId: row.team_id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}
