import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { AttemptInput } from './attempt-outcome';

/** The failure type of a queued attempt whose origin had no room: handed back to its queue, nothing sent. */
export const ORIGIN_BUSY = 'OriginBusy';

/**
 * The failure type of an attempt whose earlier run is still sending it in this process (Temporal gave up on that
 * run's heartbeat, a starved machine, while its POST went on): nothing is sent; the retry finds its outcome.
 */
export const ATTEMPT_IN_FLIGHT = 'AttemptInFlight';

/** A second run of an attempt this process is still running: back to its queue, nothing sent. */
export function attemptInFlight(input: Pick<AttemptInput, 'deliveryId' | 'attemptNumber'>): ApplicationFailure {
  return ApplicationFailure.create({
    type: ATTEMPT_IN_FLIGHT,
    message: `attempt ${input.attemptNumber} of delivery ${input.deliveryId} is still being sent by an earlier run in this process; nothing was sent`,
    nextRetryDelay: 5_000,
  });
}

/** A queued attempt that found no room for its origin goes back to its queue, later each time it comes back. */
export function originBusy(origin: string): ApplicationFailure {
  let attempt = 1;
  try {
    attempt = Context.current().info.attempt;
  } catch {
    // outside an activity (unit tests)
  }
  const delayMs = Math.min(15_000 * 2 ** Math.max(0, attempt - 1), 300_000);
  return ApplicationFailure.create({
    type: ORIGIN_BUSY,
    message: `${origin} already has its share of attempts in flight on this worker; nothing was sent`,
    nextRetryDelay: delayMs,
  });
}

/** Just before sending: an attempt Temporal has given up on (cancelled, timed out) must not send. */
export function throwIfCancelled(): void {
  let signal: AbortSignal | undefined;
  try {
    signal = Context.current().cancellationSignal;
  } catch {
    return;
  }
  if (signal.aborted) throw new CancelledFailure('the attempt was cancelled before it was sent');
}
