import { Context } from '@temporalio/activity';
import type { DeliveryReplayer } from '../src/deliveries/delivery-replayer';
import { DeliveryNotReplayableError } from '../src/errors/delivery-not-replayable-error';
import { NotFoundError } from '../src/errors/not-found-error';
import type { Stores } from '../src/store/create-stores';
import type { ReplayCursor } from '../src/store/replay-candidates';

export type { ReplayCursor } from '../src/store/replay-candidates';

/** The side effects of a bulk replay job; each is idempotent, so a resumed job repeats nothing. */
export function createReplayActivities(deps: {
  stores: Pick<Stores, 'replayJobs' | 'replayCandidates'>;
  replayer: DeliveryReplayer;
}) {
  const { replayJobs: jobs, replayCandidates } = deps.stores;

  return {
    /** The next candidates after the cursor, oldest first. */
    async nextReplayBatch(input: {
      jobId: string;
      after: ReplayCursor | null;
      limit: number;
    }): Promise<{ ids: string[]; last: ReplayCursor | null }> {
      const job = await jobs.findById(input.jobId);
      if (!job) return { ids: [], last: null };
      return replayCandidates.nextBatch(job, input.after, input.limit);
    },

    /** Replays one delivery within the job; a webhook disabled or deleted meanwhile makes it a skip, not an error. */
    async replayOne(input: { jobId: string; teamId: string; deliveryId: string }): Promise<'replayed' | 'skipped'> {
      const context = Context.current();
      try {
        await deps.replayer.replay(input.teamId, input.deliveryId, { replayJobId: input.jobId });
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
