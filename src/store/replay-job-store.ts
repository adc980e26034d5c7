import type { Database } from '../db/create-database';

/** Which of a webhook's finished deliveries a bulk replay takes. */
export interface ReplayFilter {
  statuses: Array<'failed' | 'cancelled'>;
  eventTypes?: string[];
  /** ISO-8601; deliveries created at or after. */
  from: string;
  /** ISO-8601; deliveries created before. */
  to: string;
  /** Leave out deliveries that already have a replay that succeeded or is still under way. */
  skipAlreadyReplayed: boolean;
}

export type ReplayJobStatus = 'running' | 'completed' | 'cancelled';

/** The filter as stored (jsonb): the API's own words, so jobs written by earlier versions still read back. */
interface StoredReplayFilter {
  statuses: Array<'failed' | 'cancelled'>;
  event_types?: string[];
  from: string;
  to: string;
  skip_already_replayed: boolean;
}

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
  filter: StoredReplayFilter;
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
      filter: JSON.stringify(toStoredFilter(job.filter)),
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
      filter: fromStoredFilter(row.filter),
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

  async finish(id: string, status: Exclude<ReplayJobStatus, 'running'>): Promise<void> {
    await this.db('replay_jobs')
      .where({ id, status: 'running' })
      .update({ status, finished_at: this.db.fn.now(), updated_at: this.db.fn.now() });
  }
}

function toStoredFilter(filter: ReplayFilter): StoredReplayFilter {
  return {
    statuses: filter.statuses,
    ...(filter.eventTypes && { event_types: filter.eventTypes }),
    from: filter.from,
    to: filter.to,
    skip_already_replayed: filter.skipAlreadyReplayed,
  };
}

function fromStoredFilter(stored: StoredReplayFilter): ReplayFilter {
  return {
    statuses: stored.statuses,
    ...(stored.event_types && { eventTypes: stored.event_types }),
    from: stored.from,
    to: stored.to,
    skipAlreadyReplayed: stored.skip_already_replayed,
  };
}
