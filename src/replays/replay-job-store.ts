import type { Database } from '../db/create-database';
import type { ReplayFilter } from './replay-filter';

export type ReplayJobStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export interface ReplayJob {
  id: string;
  teamId: string;
  webhookId: string;
  workflowId: string;
  filter: ReplayFilter;
  ratePerSecond: number;
  status: ReplayJobStatus;
  total: number;
  /** Candidates the job has gone through so far. */
  processed: number;
  /** New deliveries the job created (derived from the deliveries themselves, so never double-counted). */
  replayed: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

interface ReplayJobRow {
  id: string;
  team_id: string;
  webhook_id: string;
  workflow_id: string;
  filter: ReplayFilter;
  rate_per_second: number;
  status: ReplayJobStatus;
  total: number;
  processed: number;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export class ReplayJobStore {
  constructor(private readonly db: Database) {}

  async create(
    job: Pick<ReplayJob, 'id' | 'teamId' | 'webhookId' | 'workflowId' | 'filter' | 'ratePerSecond' | 'total'>,
  ): Promise<void> {
    await this.db('replay_jobs').insert({
      id: job.id,
      team_id: job.teamId,
      webhook_id: job.webhookId,
      workflow_id: job.workflowId,
      filter: JSON.stringify(job.filter),
      rate_per_second: job.ratePerSecond,
      total: job.total,
    });
  }

  async findById(id: string, teamId?: string): Promise<ReplayJob | undefined> {
    const query = this.db<ReplayJobRow>('replay_jobs').where({ id });
    if (teamId) query.andWhere({ team_id: teamId });
    const row = await query.first();
    if (!row) return undefined;
    const created = await this.db('deliveries').where({ replay_job_id: id }).count<{ n: string }[]>({ n: '*' });
    return {
      id: row.id,
      teamId: row.team_id,
      webhookId: row.webhook_id,
      workflowId: row.workflow_id,
      filter: row.filter,
      ratePerSecond: row.rate_per_second,
      status: row.status,
      total: row.total,
      processed: row.processed,
      replayed: Number(created[0]!.n),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      finishedAt: row.finished_at,
    };
  }

  /** Absolute, so a retried activity or a resumed job writes the same numbers again. */
  async recordProgress(id: string, processed: number): Promise<void> {
    await this.db('replay_jobs').where({ id }).update({ processed, updated_at: this.db.fn.now() });
  }

  async finish(id: string, status: Exclude<ReplayJobStatus, 'running'>, error?: string): Promise<void> {
    await this.db('replay_jobs')
      .where({ id, status: 'running' })
      .update({ status, error: error ?? null, finished_at: this.db.fn.now(), updated_at: this.db.fn.now() });
  }
}
