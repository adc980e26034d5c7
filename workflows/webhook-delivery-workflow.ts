import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AttemptInput, AttemptOutcome } from '../activities/attempt-outcome';
import type { AttemptActivities } from '../activities/create-attempt-activities';
import { laneTaskQueue, type QueuedLane } from './attempt-lanes';
import { decideNextStep } from './decide-next-step';
import { DELIVERY_SEARCH_ATTRIBUTES } from './delivery-search-attributes';
import {
  DELIVERY_FAILED_ERROR_TYPE,
  type DeliveryOutcome,
  type DeliveryWorkflowInput,
} from './delivery-workflow-input';
import { MANUAL_RETRY_REJECTED_ERROR_TYPE, manualRetryUpdate, type ManualRetryRejection } from './manual-retry-update';

/**
 * The fast lane: the attempt runs inside this workflow's own task, which costs Temporal no activity task at all
 * (a delivery that succeeds at once is one workflow task: two billable actions). Its budget covers the reads (each
 * bounded by the database's timeouts), the 30 s POST and the 5 s inline record. One try only: whatever keeps the
 * fast path from finishing before it sends goes to the standard lane, where it is retried durably.
 */
const fastLane = proxyLocalActivities<AttemptActivities>({
  startToCloseTimeout: '60s',
  retry: { maximumAttempts: 1 },
});

/**
 * A queued lane: an ordinary activity on the lane's own task queue. It heartbeats from its first line, so a worker
 * that dies is noticed in 10 s, and a live one is never taken for dead; an origin without room sends it back to the
 * queue for later (`OriginBusy`, nothing sent). Retries have no limit: an attempt that is due is never dropped.
 */
function queuedLane(lane: QueuedLane) {
  return proxyActivities<AttemptActivities>({
    taskQueue: laneTaskQueue(workflowInfo().taskQueue, lane),
    startToCloseTimeout: '90s',
    heartbeatTimeout: '10s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
  });
}

/** Database work retries without limit: Postgres being away must delay a record, never lose it. */
const bookkeeping = proxyActivities<AttemptActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * One delivery on the exact schedule: each attempt runs in a lane (ADR 6), and the wait before the next one is a
 * durable timer started the moment the attempt's outcome is known. The lane only decides where an attempt runs.
 */
export async function webhookDeliveryWorkflow(input: DeliveryWorkflowInput): Promise<DeliveryOutcome> {
  const { deliveryId, schedule } = input;
  const total = schedule.length;
  let attemptNumber = 1;
  // The manual retry (ADR 10): accepted only while the delivery waits for its next attempt, and once per wait.
  let waitingFor: number | undefined;
  let retryRequested = false;
  setHandler(
    manualRetryUpdate,
    () => {
      retryRequested = true;
      return { attemptNumber: waitingFor! };
    },
    {
      validator: () => {
        if (retryRequested) throw manualRetryRejected('retry_in_progress', 'a manual retry is already under way');
        if (waitingFor === undefined) {
          throw manualRetryRejected('attempt_in_progress', 'an attempt of this delivery is in progress');
        }
      },
    },
  );
  try {
    for (;;) {
      // An attempt that has started is carried to its end and recorded even if the delivery is cancelled meanwhile.
      const attempt = await CancellationScope.nonCancellable(() => attemptIn({ deliveryId, attemptNumber, schedule }));
      if (attempt.kind === 'stopped') {
        await bookkeeping.finishDelivery({ deliveryId, status: attempt.status, reason: attempt.reason });
        setCurrentDetails(`stopped before attempt ${attemptNumber}: ${attempt.reason}`);
        log.info('delivery stopped', { deliveryId, status: attempt.status, reason: attempt.reason });
        if (attempt.status === 'failed') {
          throw ApplicationFailure.create({
            type: DELIVERY_FAILED_ERROR_TYPE,
            message: attempt.reason,
            nonRetryable: true,
          });
        }
        // Completed in Temporal like a success: this attribute is what tells the two apart in the Web UI.
        upsertSearchAttributes([{ key: DELIVERY_SEARCH_ATTRIBUTES.deliveryStatus, value: 'cancelled' }]);
        return { status: 'cancelled', attempts: attemptNumber - 1, reason: attempt.reason };
      }
      const { summary } = attempt;
      const step = decideNextStep(attemptNumber, summary.status, schedule);
      const outcome = `attempt ${attemptNumber}/${total}: ${summary.status}${summary.httpStatusCode ? ` ${summary.httpStatusCode}` : ''}`;

      // The timer starts the moment the attempt's result is known; a record still to write runs beside it, so a
      // slow or absent database never stretches the schedule.
      // A manual retry ends the wait early (its timer is cancelled): the next attempt runs now, with the number it
      // had anyway, and the wait after it is the schedule's for that number. Without one, the commands are exactly
      // those of a bare sleep, so histories recorded before the manual retry existed replay unchanged.
      const wait = step.kind === 'retry' ? waitOrManualRetry(step.afterMs, step.nextAttemptNumber) : undefined;
      // Observed below; this keeps a cancel during the recording from surfacing as an unhandled rejection first.
      wait?.catch(() => undefined);
      if (!attempt.recorded && attempt.sealed !== null) {
        const { context, sealed } = attempt;
        await CancellationScope.nonCancellable(() =>
          bookkeeping.recordSealedAttempt({ context, attemptNumber, summary, sealed, schedule }),
        );
      }

      if (step.kind === 'done') {
        setCurrentDetails(`${outcome}; delivered`);
        return { status: 'success', attempts: attemptNumber };
      }
      if (step.kind === 'give_up') {
        setCurrentDetails(`${outcome}; gave up after ${total} attempts`);
        throw ApplicationFailure.create({
          type: DELIVERY_FAILED_ERROR_TYPE,
          message: `delivery ${deliveryId} failed after ${total} attempts (last: ${summary.status})`,
          nonRetryable: true,
        });
      }
      const nextAttemptAt = new Date(Date.now() + step.afterMs).toISOString();
      setCurrentDetails(
        `${outcome}${summary.errorMessage ? ` (${summary.errorMessage})` : ''}\n\nnext attempt at ${nextAttemptAt}`,
      );
      waitingFor = step.nextAttemptNumber;
      const woken = await wait;
      waitingFor = undefined;
      retryRequested = false;
      if (woken === 'manual') log.info('manual retry', { deliveryId, attemptNumber: step.nextAttemptNumber });
      attemptNumber = step.nextAttemptNumber;
    }
  } catch (err) {
    if (isCancellation(err)) {
      log.info('delivery cancelled', { deliveryId, attemptNumber });
      await CancellationScope.nonCancellable(() =>
        bookkeeping.finishDelivery({ deliveryId, status: 'cancelled', reason: 'cancelled in Temporal' }),
      );
      setCurrentDetails('cancelled in Temporal');
    }
    throw err;
  }

  /** The schedule's timer, or less if a manual retry is accepted meanwhile (the timer is then cancelled). */
  function waitOrManualRetry(afterMs: number, nextAttemptNumber: number): Promise<'timer' | 'manual'> {
    return CancellationScope.cancellable(async () => {
      try {
        return await Promise.race([
          sleep(afterMs, { summary: `wait before attempt ${nextAttemptNumber}` }).then(() => 'timer' as const),
          condition(() => retryRequested).then(() => 'manual' as const),
        ]);
      } finally {
        CancellationScope.current().cancel();
      }
    });
  }
}

function manualRetryRejected(reason: ManualRetryRejection, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: MANUAL_RETRY_REJECTED_ERROR_TYPE, message, details: [reason] });
}

/** The attempt in the fast lane, or in the queued lane the fast lane handed it to (or fell back on). */
async function attemptIn(input: AttemptInput): Promise<AttemptOutcome> {
  let lane: QueuedLane = 'standard';
  try {
    const fast = await fastLane.attemptInFastLane(input);
    if (fast.kind !== 'deferred') return fast;
    lane = fast.lane;
  } catch (err) {
    // The fast path failed before sending (its reads failed or took too long): the standard lane retries it.
    log.warn('the fast lane could not run the attempt; the standard lane takes it', {
      attemptNumber: input.attemptNumber,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  return queuedLane(lane).attemptInQueuedLane({ ...input, lane });
}
