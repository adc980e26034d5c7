import { defineUpdate } from '@temporalio/workflow';

/** What the delivery workflow answers a manual retry it accepted with: the number the attempt it starts now has. */
export interface ManualRetryAccepted {
  attemptNumber: number;
}

/**
 * Lettermint's manual retry as a Workflow Update (ADR 10): the caller learns whether the running delivery took it.
 * Its validator rejects it, without a trace in the history, unless the delivery is waiting for its next attempt.
 */
export const manualRetryUpdate = defineUpdate<ManualRetryAccepted, []>('manualRetry');

/** The failure type of a manual retry the workflow's validator rejected; its `details[0]` is the reason. */
export const MANUAL_RETRY_REJECTED_ERROR_TYPE = 'ManualRetryRejected';

/**
 * Why a running delivery refused a manual retry. `attempt_in_progress`: an attempt is being sent or recorded right
 * now (its outcome decides what follows). `retry_in_progress`: a manual retry was already accepted and its attempt
 * has not started yet.
 */
export type ManualRetryRejection = 'attempt_in_progress' | 'retry_in_progress';
