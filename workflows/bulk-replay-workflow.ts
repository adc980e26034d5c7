import {
  CancellationScope,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  sleep,
} from '@temporalio/workflow';
import type { ReplayActivities, ReplayCursor } from '../activities/create-replay-activities';

export interface BulkReplayWorkflowInput {
  jobId: string;
  teamId: string;
  /** Replays started per second at most, so a recovering receiver is not flooded. */
  ratePerSecond: number;
  /** Where a resumed run (after continue-as-new) picks up. */
  after?: ReplayCursor | null;
  processed?: number;
}

const replays = proxyActivities<ReplayActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** Keeps each run's history small: a job over a million deliveries continues as new every so many batches. */
const BATCHES_PER_RUN = 100;

/**
 * A bulk replay job: walks the job's candidates in (created_at, id) order, one batch per second of `ratePerSecond`
 * replays. It is durable like any workflow: a crash anywhere resumes at the last batch, and `replayOne` is
 * idempotent per (job, delivery), so nothing is replayed twice.
 */
export async function bulkReplayWorkflow(input: BulkReplayWorkflowInput): Promise<{ processed: number }> {
  let after = input.after ?? null;
  let processed = input.processed ?? 0;
  try {
    for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
      const next = await replays.nextReplayBatch({ jobId: input.jobId, after, limit: input.ratePerSecond });
      if (next.ids.length === 0) {
        await replays.finishReplayJob({ jobId: input.jobId, status: 'completed' });
        setCurrentDetails(`completed: ${processed} deliveries gone through`);
        return { processed };
      }
      const started = Date.now();
      await Promise.all(
        next.ids.map((deliveryId) => replays.replayOne({ jobId: input.jobId, teamId: input.teamId, deliveryId })),
      );
      processed += next.ids.length;
      after = next.last;
      await replays.recordReplayProgress({ jobId: input.jobId, processed });
      setCurrentDetails(`${processed} deliveries gone through`);
      const elapsed = Date.now() - started;
      if (elapsed < 1_000) await sleep(1_000 - elapsed);
    }
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() =>
        replays.finishReplayJob({ jobId: input.jobId, status: 'cancelled' }),
      );
    }
    throw err;
  }
  return continueAsNew<typeof bulkReplayWorkflow>({ ...input, after, processed });
}
