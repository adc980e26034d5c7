import type { SecretCipher } from '../../src/secrets/secret-cipher';
import type { AttemptContext } from '../../src/store/attempt-store';
import type { AttemptResult } from '../../workflows/attempt-result';
import type { AttemptRunner } from '../attempt-runner';
import type { AttemptActivities } from '../create-attempt-activities';

/** What the first delivery workflow expects back from `attemptDelivery`. */
export type LegacyAttemptOutcome =
  | { kind: 'stopped'; reason: string }
  | { kind: 'sent'; owner: AttemptContext; result: AttemptResult; recorded: boolean };

/**
 * The activities of the frozen first workflow (workflows/legacy/delivery-workflow-v1.ts), over today's attempt:
 * deliveries started before an upgrade keep their activity names and shapes until they end. Their attempts run as
 * the standard lane does; the exchange is no longer returned once it is recorded.
 */
export function createLegacyActivities(deps: {
  runner: AttemptRunner;
  sealer: Pick<SecretCipher, 'decrypt'>;
  finishDelivery: AttemptActivities['finishDelivery'];
}) {
  const { runner } = deps;
  return {
    async attemptDelivery(input: {
      deliveryId: string;
      attemptNumber: number;
      schedule: readonly number[];
    }): Promise<LegacyAttemptOutcome> {
      const outcome = await runner.run(input, { lane: 'standard', waitMs: 1_000 });
      if (outcome.kind === 'deferred') throw new Error('a queued lane never defers');
      if (outcome.kind === 'stopped') return { kind: 'stopped', reason: outcome.reason };
      // Only the durable path needs the exchange, and only when the attempt could not record it itself: then it
      // travels sealed, like today's.
      return {
        kind: 'sent',
        owner: outcome.context,
        result: {
          ...outcome.summary,
          requestHeaders: {},
          responseHeaders: {},
          responseBody: null,
          ...(outcome.sealed === null ? {} : { sealed: outcome.sealed }),
        },
        recorded: outcome.recorded,
      };
    },

    async recordAttempt(input: {
      owner: AttemptContext;
      attemptNumber: number;
      result: AttemptResult & { sealed?: string };
      schedule: readonly number[];
    }): Promise<void> {
      const { sealed, ...result } = input.result;
      // Written by the attempt above (sealed), or by the first version of it (the exchange in clear).
      const exchange = sealed ? (JSON.parse(deps.sealer.decrypt(sealed)) as Partial<AttemptResult>) : {};
      await runner.record(input.owner, input, { ...result, ...exchange });
    },

    finishDelivery: deps.finishDelivery,
  };
}

export type LegacyDeliveryActivities = ReturnType<typeof createLegacyActivities>;
