import type { DeferralReason } from '../src/lanes/attempt-gate';
import type { AttemptContext } from '../src/store/attempt-store';
import type { QueuedLane } from '../workflows/attempt-lanes';
import type { AttemptSummary } from '../workflows/attempt-result';

/** Which attempt of which delivery, with the schedule the delivery runs on. */
export interface AttemptInput {
  deliveryId: string;
  attemptNumber: number;
  /** Waits before each attempt, as the workflow has them: decides the delivery's status and next attempt time. */
  schedule: readonly number[];
}

/**
 * What became of one attempt, as it travels through workflow history: stopped before sending, or sent, with the
 * outcome an operator needs. The full exchange (headers, body) goes to Postgres only; when Postgres was away as the
 * attempt ended it rides along `sealed` (encrypted with the secret key), for `recordSealedAttempt` to write later.
 */
export type AttemptOutcome =
  | { kind: 'sent'; context: AttemptContext; summary: AttemptSummary; recorded: boolean; sealed: string | null }
  | { kind: 'stopped'; status: 'cancelled' | 'failed'; reason: string };

/** The fast lane may also hand the attempt on, unsent, to a queued lane. */
export type FastAttemptOutcome = AttemptOutcome | { kind: 'deferred'; lane: QueuedLane; reason: DeferralReason };

export interface SealedRecordInput {
  context: AttemptContext;
  attemptNumber: number;
  summary: AttemptSummary;
  sealed: string;
  schedule: readonly number[];
}
