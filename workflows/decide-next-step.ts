import type { AttemptStatus } from './attempt-result';

/** What a delivery does once an attempt has an outcome. */
export type NextStep =
  { kind: 'done' } | { kind: 'retry'; nextAttemptNumber: number; afterMs: number } | { kind: 'give_up' };

/**
 * The whole retry policy as a pure function: a success ends the delivery, any other outcome waits for the next
 * step of the schedule, and a failure of the last step gives up.
 */
export function decideNextStep(attemptNumber: number, status: AttemptStatus, schedule: readonly number[]): NextStep {
  if (status === 'success') return { kind: 'done' };
  const afterMs = schedule[attemptNumber];
  if (afterMs === undefined) return { kind: 'give_up' };
  return { kind: 'retry', nextAttemptNumber: attemptNumber + 1, afterMs };
}
