import type { SecretCipher } from '../src/secrets/secret-cipher';
import type { Stores } from '../src/store/create-stores';
import type { QueuedLane } from '../workflows/attempt-lanes';
import type { AttemptInput, AttemptOutcome, FastAttemptOutcome, SealedRecordInput } from './attempt-outcome';
import { createAttemptRunner, type AttemptRunnerDependencies } from './attempt-runner';

export interface AttemptActivityDependencies extends AttemptRunnerDependencies {
  stores: Pick<Stores, 'attemptPlans' | 'attempts' | 'transaction'>;
  /** Opens what `sealer` sealed. */
  sealer: Pick<SecretCipher, 'encrypt' | 'decrypt'>;
}

/** How long a queued attempt waits for room for its origin before it goes back to its queue. */
const QUEUED_WAIT_MS = 1_000;

/**
 * The activities of a delivery (ADR 6): one attempt in the fast lane (run as a local activity) or in a queued lane
 * (an ordinary activity on the lane's task queue), the durable write of an outcome Postgres could not take at once,
 * and the end of a delivery that did not run its course.
 */
export function createAttemptActivities(deps: AttemptActivityDependencies) {
  const runner = createAttemptRunner(deps);
  const { stores } = deps;

  return {
    /** The fast lane: never waits; hands the attempt on, unsent, when its origin or team has no room here. */
    async attemptInFastLane(input: AttemptInput): Promise<FastAttemptOutcome> {
      return runner.run(input, { lane: 'fast' });
    },

    /** A queued lane; an origin without room sends the attempt back to its queue for later, unsent. */
    async attemptInQueuedLane(input: AttemptInput & { lane: QueuedLane }): Promise<AttemptOutcome> {
      const outcome = await runner.run(input, { lane: input.lane, waitMs: QUEUED_WAIT_MS });
      if (outcome.kind === 'deferred') throw new Error('a queued lane never defers');
      return outcome;
    },

    /** The durable path for an outcome the attempt could not write itself (Postgres was away). */
    async recordSealedAttempt(input: SealedRecordInput): Promise<void> {
      const exchange = JSON.parse(deps.sealer.decrypt(input.sealed)) as {
        requestHeaders: Record<string, string>;
        responseHeaders: Record<string, string>;
        responseBody: string | null;
      };
      await runner.record(input.context, input, { ...input.summary, ...exchange });
    },

    /** Ends a delivery that did not run its course (cancelled, webhook gone, a fault). */
    async finishDelivery(input: { deliveryId: string; status: 'cancelled' | 'failed'; reason: string }): Promise<void> {
      await stores.transaction(async (tx) => {
        await tx.deliveries.finish(input.deliveryId, input.status, input.reason);
        await tx.attempts.discardUnsent(input.deliveryId);
      });
    },
  };
}

export type AttemptActivities = ReturnType<typeof createAttemptActivities>;
