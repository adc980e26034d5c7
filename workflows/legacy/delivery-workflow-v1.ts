import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LegacyDeliveryActivities } from '../../activities/legacy/create-legacy-activities';
import { decideNextStep } from '../decide-next-step';
import { DELIVERY_SEARCH_ATTRIBUTES } from '../delivery-search-attributes';
import {
  DELIVERY_FAILED_ERROR_TYPE,
  type DeliveryOutcome,
  type DeliveryWorkflowInput,
} from '../delivery-workflow-input';

/*
 * The first delivery workflow, frozen. Deliveries started before local attempts and lanes keep running on it until
 * they end (at most about 14 hours after an upgrade), because a workflow's code must replay its own history;
 * new deliveries start `webhookDeliveryWorkflow`. Remove this file, its activities and its recorded histories once
 * no `deliveryWorkflow` execution is running or inside the namespace's retention.
 */

/**
 * Database work retries without limit: Postgres being away must delay the record, never lose it.
 */
const database = proxyActivities<LegacyDeliveryActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * One attempt: the POST gets 30 s from the poster itself; the activity timeout adds room for reading the webhook
 * before and writing the record after (that write gives up after 5 s and leaves it to `recordAttempt`). A retry
 * only happens when the activity itself was lost (a worker crash) or could not read Postgres before sending: the
 * receiver's answer, whatever it is, comes back as data and is never retried here.
 */
const sender = proxyActivities<LegacyDeliveryActivities>({
  startToCloseTimeout: '50s',
  // The attempt heartbeats while it waits for the receiver: a worker that dies mid-POST is noticed in 10 s, not 50.
  heartbeatTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

export async function deliveryWorkflow(input: DeliveryWorkflowInput): Promise<DeliveryOutcome> {
  const { deliveryId, schedule } = input;
  const total = schedule.length;
  let attemptNumber = 1;
  try {
    for (;;) {
      // An attempt that has started is carried to its end and recorded even if the delivery is cancelled meanwhile.
      const attempt = await CancellationScope.nonCancellable(() =>
        sender.attemptDelivery({ deliveryId, attemptNumber, schedule }),
      );
      if (attempt.kind === 'stopped') {
        await database.finishDelivery({ deliveryId, status: 'cancelled', reason: attempt.reason });
        markStatus('cancelled', `stopped before attempt ${attemptNumber}: ${attempt.reason}`);
        return { status: 'cancelled', attempts: attemptNumber - 1, reason: attempt.reason };
      }
      const { result } = attempt;
      const step = decideNextStep(attemptNumber, result.status, schedule);
      const outcome = `attempt ${attemptNumber}/${total}: ${result.status}${result.httpStatusCode ? ` ${result.httpStatusCode}` : ''}`;

      // The timer starts the moment the attempt's result is known; a record still to write runs beside it, so a
      // slow or absent database never stretches the schedule.
      const wait =
        step.kind === 'retry'
          ? sleep(step.afterMs, { summary: `wait before attempt ${step.nextAttemptNumber}` })
          : undefined;
      // Observed below; this keeps a cancel during the recording from surfacing as an unhandled rejection first.
      wait?.catch(() => undefined);
      if (!attempt.recorded) {
        await CancellationScope.nonCancellable(() =>
          database.recordAttempt({ owner: attempt.owner, attemptNumber, result, schedule }),
        );
      }

      if (step.kind === 'done') {
        markStatus('success', `${outcome}; delivered`);
        return { status: 'success', attempts: attemptNumber };
      }
      if (step.kind === 'give_up') {
        markStatus('failed', `${outcome}; gave up after ${total} attempts`);
        throw ApplicationFailure.create({
          type: DELIVERY_FAILED_ERROR_TYPE,
          message: `delivery ${deliveryId} failed after ${total} attempts (last: ${result.status})`,
          nonRetryable: true,
        });
      }
      const nextAttemptAt = new Date(Date.now() + step.afterMs).toISOString();
      setCurrentDetails(
        `${outcome}${result.errorMessage ? ` (${result.errorMessage})` : ''}\n\nnext attempt at ${nextAttemptAt}`,
      );
      await wait;
      attemptNumber = step.nextAttemptNumber;
    }
  } catch (err) {
    if (isCancellation(err)) {
      log.info('delivery cancelled', { deliveryId, attemptNumber });
      await CancellationScope.nonCancellable(() =>
        database.finishDelivery({ deliveryId, status: 'cancelled', reason: 'cancelled in Temporal' }),
      );
      markStatus('cancelled', 'cancelled in Temporal');
    }
    throw err;
  }
}

function markStatus(status: 'success' | 'failed' | 'cancelled', details: string): void {
  setCurrentDetails(details);
  upsertSearchAttributes([{ key: DELIVERY_SEARCH_ATTRIBUTES.deliveryStatus, value: status }]);
  log.info('delivery finished', { status, workflowId: workflowInfo().workflowId });
}
