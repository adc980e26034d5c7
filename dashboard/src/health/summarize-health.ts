import type { AttemptSummary } from '../api/api-types';

export interface WebhookHealthSummary {
  /** The newest attempt that has an outcome. */
  lastOutcome: AttemptSummary | undefined;
  /** Finished attempts that failed since the last success. */
  failureStreak: number;
  /** True when every attempt looked at failed, so the streak may be longer than counted. */
  capped: boolean;
}

/**
 * A webhook's health from its newest attempts (newest first). Pending attempts have no outcome yet: they neither
 * end nor extend a streak. `more` says whether older attempts exist beyond the ones given.
 */
export function summarizeHealth(attempts: AttemptSummary[], more: boolean): WebhookHealthSummary {
  const finished = attempts.filter((attempt) => attempt.status !== 'pending');
  const firstSuccess = finished.findIndex((attempt) => attempt.status === 'success');
  const failureStreak = firstSuccess === -1 ? finished.length : firstSuccess;
  return { lastOutcome: finished[0], failureStreak, capped: firstSuccess === -1 && more };
}
