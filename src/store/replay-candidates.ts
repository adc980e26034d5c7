import type { Knex } from 'knex';
import type { Database } from '../db/create-database';
import type { ReplayFilter } from './replay-job-store';

/** Where a bulk replay stands in its list of candidates: keyset on (created_at, id), stable while rows are added. */
export interface ReplayCursor {
  createdAt: string;
  id: string;
}

/**
 * The deliveries a bulk replay takes. The dry-run count, the job's total and every batch go through the same
 * filter, so the three always agree.
 */
export class ReplayCandidates {
  constructor(private readonly db: Database) {}

  async count(webhookId: string, filter: ReplayFilter): Promise<number> {
    const [row] = await this.filtered(webhookId, filter).count<{ n: string }[]>({ n: '*' });
    return Number(row!.n);
  }

  /** The next candidates after the cursor, oldest first; a job's own replays are never its candidates. */
  async nextBatch(
    job: { id: string; webhookId: string; filter: ReplayFilter },
    after: ReplayCursor | null,
    limit: number,
  ): Promise<{ ids: string[]; last: ReplayCursor | null }> {
    const query = this.filtered(job.webhookId, job.filter, job.id);
    if (after) {
      // Compared with the row itself: a JavaScript Date would cut Postgres' microseconds and revisit rows.
      query.whereRaw('(d.created_at, d.id) > (SELECT c.created_at, c.id FROM deliveries c WHERE c.id = ?)', [after.id]);
    }
    const rows: Array<{ id: string; created_at: Date }> = await query
      .orderBy([{ column: 'd.created_at' }, { column: 'd.id' }])
      .limit(limit)
      .select('d.id', 'd.created_at');
    const lastRow = rows.at(-1);
    return {
      ids: rows.map((r) => r.id),
      last: lastRow ? { createdAt: lastRow.created_at.toISOString(), id: lastRow.id } : null,
    };
  }

  private filtered(webhookId: string, filter: ReplayFilter, jobId?: string): Knex.QueryBuilder {
    const query = this.db('deliveries as d')
      .where('d.webhook_id', webhookId)
      .whereIn('d.status', filter.statuses)
      .where('d.created_at', '>=', new Date(filter.from))
      .where('d.created_at', '<', new Date(filter.to));
    if (filter.eventTypes) {
      const eventTypes = filter.eventTypes;
      query.whereIn('d.event_id', (sub) => sub.select('id').from('events').whereIn('event_type', eventTypes));
    }
    if (jobId) {
      // The job's own replays may fail and fall inside the window: they are never candidates of the same job.
      query.where((q) => q.whereNull('d.replay_job_id').orWhereNot('d.replay_job_id', jobId));
    }
    if (filter.skipAlreadyReplayed) {
      query.whereNotExists((sub) =>
        sub
          .select(1)
          .from('deliveries as r')
          .whereRaw('r.replay_of = d.id')
          .whereIn('r.status', ['success', 'pending'])
          .modify((q) => {
            if (jobId) q.where((inner) => inner.whereNull('r.replay_job_id').orWhereNot('r.replay_job_id', jobId));
          }),
      );
    }
    return query;
  }
}
