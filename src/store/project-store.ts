import { randomUUID } from 'node:crypto';
import type { Database } from '../db/create-database';
import { fetchKeysetPage, type KeysetPage, type PageRequest } from './keyset-page';
import { softDeleteRoutesOfProject } from './route-store';
import { softDeleteWebhooksOfRoutes } from './webhook-store';

/** A team's project: the parent of its routes. */
export interface Project {
  id: string;
  teamId: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

interface ProjectRow {
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

  /** One page of the team's live projects (sort columns aliased `p.`). */
  async listPage(teamId: string, request: PageRequest): Promise<KeysetPage<Project>> {
    const query = this.db('projects as p').select('p.*').where('p.team_id', teamId).whereNull('p.deleted_at');
    return fetchKeysetPage(this.db, query, request, 'p.id', toProject);
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
      const routeIds = await softDeleteRoutesOfProject(trx, id);
      return { webhookIds: await softDeleteWebhooksOfRoutes(trx, routeIds) };
    });
  }
}

function toProject(row: ProjectRow): Project {
  return { id: row.id, teamId: row.team_id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}
