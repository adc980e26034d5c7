import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { Database } from '../src/db/create-database';
import { DeliveryNotReplayableError } from '../src/errors/delivery-not-replayable-error';
import { NotFoundError } from '../src/errors/not-found-error';
import { DeliveryReplayer } from '../src/deliveries/delivery-replayer';
import { DeliveryStarter } from '../src/deliveries/delivery-starter';
import { applyReplayFilter } from '../src/replays/replay-filter';
import { ReplayJobStore } from '../src/replays/replay-job-store';

/** Where a bulk replay stands in its list of candidates: keyset on (created_at, id), stable while rows are added. */
export interface ReplayCursor {
  createdAt: string;
  id: string;
}

/** The side effects of a bulk replay job; each is idempotent, so a resumed job repeats nothing. */
export function createReplayActivities(deps: { db: Database; logger: Logger }) {
  const { db } = deps;
  const jobs = new ReplayJobStore(db);

  return {
    /** The next candidates after the cursor, oldest first. */
    async nextReplayBatch(input: {
      jobId: string;
      after: ReplayCursor | null;
      limit: number;
    }): Promise<{ ids: string[]; last: ReplayCursor | null }> {
      const job = await jobs.findById(input.jobId);
      if (!job) return { ids: [], last: null };
      const query = applyReplayFilter(db('deliveries as d'), job.webhookId, job.filter, job.id);
      if (input.after) {
        // Compared with the row itself: a JavaScript Date would cut Postgres' microseconds and revisit rows.
        query.whereRaw('(d.created_at, d.id) > (SELECT c.created_at, c.id FROM deliveries c WHERE c.id = ?)', [
          input.after.id,
        ]);
      }
      const rows: Array<{ id: string; created_at: Date }> = await query
        .orderBy([{ column: 'd.created_at' }, { column: 'd.id' }])
        .limit(input.limit)
        .select('d.id', 'd.created_at');
      const lastRow = rows.at(-1);
      return {
        ids: rows.map((r) => r.id),
        last: lastRow ? { createdAt: lastRow.created_at.toISOString(), id: lastRow.id } : null,
      };
    },

    /** Replays one delivery within the job; a webhook disabled or deleted meanwhile makes it a skip, not an error. */
    async replayOne(input: { jobId: string; teamId: string; deliveryId: string }): Promise<'replayed' | 'skipped'> {
      const context = Context.current();
      const starter = new DeliveryStarter(context.client, context.info.taskQueue, db, deps.logger);
      try {
        await new DeliveryReplayer(db, starter).replay(input.teamId, input.deliveryId, { replayJobId: input.jobId });
        return 'replayed';
      } catch (err) {
        if (err instanceof DeliveryNotReplayableError || err instanceof NotFoundError) {
          context.log.info('bulk replay skipped a delivery', {
            jobId: input.jobId,
            deliveryId: input.deliveryId,
            reason: err.message,
          });
          return 'skipped';
        }
        throw err;
      }
    },

    async recordReplayProgress(input: { jobId: string; processed: number }): Promise<void> {
      await jobs.recordProgress(input.jobId, input.processed);
    },

    async finishReplayJob(input: { jobId: string; status: 'completed' | 'cancelled' }): Promise<void> {
      await jobs.finish(input.jobId, input.status);
    },
  };
}

export type ReplayActivities = ReturnType<typeof createReplayActivities>;
