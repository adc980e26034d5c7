import { ApplicationFailure, Context } from '@temporalio/activity';
import type { DeliveryMetrics } from '../src/metrics/delivery-metrics';
import { buildSignatureHeader } from '../src/signature/sign-payload';
import type { AttemptContext } from '../src/store/attempt-store';
import type { Stores } from '../src/store/create-stores';
import type { AttemptResult } from '../workflows/attempt-result';
import { decideNextStep } from '../workflows/decide-next-step';
import type { DeliveryStatus } from '../workflows/delivery-status';
import type { WebhookPoster } from './post-webhook';

export interface ActivityDependencies {
  stores: Stores;
  post: WebhookPoster;
  /** Sent as `User-Agent` with every attempt. */
  userAgent: string;
  /** Wall clock for signatures; injectable so tests can pin it. */
  now?: () => Date;
  metrics?: DeliveryMetrics;
  /** How long the attempt waits for its own record to be written before leaving it to `recordAttempt`. @default 5_000 */
  inlineRecordTimeoutMs?: number;
}

/** What became of one attempt: stopped before sending, or sent (and maybe already recorded). */
export type AttemptOutcome =
  | { kind: 'stopped'; reason: string }
  | { kind: 'sent'; owner: AttemptContext; result: AttemptResult; recorded: boolean };

export interface RecordAttemptInput {
  owner: AttemptContext;
  attemptNumber: number;
  result: AttemptResult;
  /** Waits before each attempt, as the workflow has them: decides the delivery's status and next attempt time. */
  schedule: readonly number[];
}

/** The failure type of an attempt whose rows are not there (yet): a state Temporal retries, not an answer. */
export const MISSING_DELIVERY_DATA = 'MissingDeliveryData';

/**
 * The side effects of a delivery. Everything before the POST may throw (Temporal retries it: nothing was sent);
 * nothing after the POST throws, so a database failure can never cause a second POST. The outcome is written in
 * the same activity when Postgres answers in time, else it travels back in the workflow history and
 * `recordAttempt` writes it once Postgres is back.
 */
export function createActivities(deps: ActivityDependencies) {
  const { stores, post, userAgent } = deps;
  const now = deps.now ?? (() => new Date());
  const inlineRecordTimeoutMs = deps.inlineRecordTimeoutMs ?? 5_000;

  async function writeOutcome(input: RecordAttemptInput): Promise<void> {
    const step = decideNextStep(input.attemptNumber, input.result.status, input.schedule);
    const finishedAt = new Date(input.result.finishedAt);
    const status: DeliveryStatus = step.kind === 'done' ? 'success' : step.kind === 'give_up' ? 'failed' : 'pending';
    await stores.transaction(async (tx) => {
      await tx.attempts.record(input.owner, input.attemptNumber, input.result);
      await tx.deliveries.recordAttemptOutcome(input.owner.deliveryId, {
        attemptNumber: input.attemptNumber,
        attemptStatus: input.result.status,
        attemptAt: finishedAt,
        status,
        nextAttemptAt: step.kind === 'retry' ? new Date(finishedAt.getTime() + step.afterMs) : null,
      });
      await tx.webhooks.touchLastCalled(input.owner.webhookId, finishedAt);
    });
  }

  return {
    /**
     * One attempt: reads the current webhook (a new URL or secret applies now; disabled or deleted stops the
     * delivery), signs the stored body afresh, POSTs it, and records the outcome.
     */
    async attemptDelivery(input: {
      deliveryId: string;
      attemptNumber: number;
      schedule: readonly number[];
    }): Promise<AttemptOutcome> {
      const delivery = await stores.deliveries.findById(input.deliveryId);
      if (!delivery) return { kind: 'stopped', reason: 'delivery record not found' };
      if (delivery.status !== 'pending') return { kind: 'stopped', reason: `delivery already ${delivery.status}` };
      const event = await stores.events.findById(delivery.eventId);
      if (!event) {
        throw ApplicationFailure.retryable(
          `event ${delivery.eventId} of delivery ${delivery.id} not found`,
          MISSING_DELIVERY_DATA,
        );
      }
      const target = await stores.webhookSecrets.findTarget(delivery.webhookId, now());
      if (target.state !== 'active') return { kind: 'stopped', reason: `webhook ${target.state}` };

      const timestamp = Math.floor(now().getTime() / 1000);
      const heartbeat = keepHeartbeating();
      const result = await post({
        url: target.url,
        teamId: delivery.teamId,
        body: event.body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': userAgent,
          'X-Lettermint-Signature': buildSignatureHeader(target.secrets, timestamp, event.body),
          'X-Lettermint-Event': event.eventType,
          'X-Lettermint-Delivery': String(timestamp),
          'X-Lettermint-Attempt': String(input.attemptNumber),
        },
      }).finally(heartbeat.stop);
      // From here on nothing may throw: the POST happened.
      const owner: AttemptContext = {
        deliveryId: delivery.id,
        teamId: delivery.teamId,
        webhookId: delivery.webhookId,
        eventId: event.id,
        eventType: event.eventType,
      };
      const recorded = await writeWithin(inlineRecordTimeoutMs, () =>
        writeOutcome({ owner, attemptNumber: input.attemptNumber, result, schedule: input.schedule }),
      );
      try {
        deps.metrics?.observeAttempt(result, event.createdAt);
        // The activity logger adds workflowId, runId and activity details to every line.
        Context.current().log.info('attempt finished', {
          deliveryId: delivery.id,
          attemptNumber: input.attemptNumber,
          status: result.status,
          httpStatusCode: result.httpStatusCode,
          durationMs: result.durationMs,
          errorMessage: result.errorMessage,
          recorded,
        });
      } catch {
        // Telemetry must never turn a sent attempt into a failed activity.
      }
      return { kind: 'sent', owner, result, recorded };
    },

    /** The durable path for an outcome the attempt could not write itself (Postgres was away). */
    async recordAttempt(input: RecordAttemptInput): Promise<void> {
      await writeOutcome(input);
    },

    /** Ends a delivery that did not run its course (cancelled, webhook gone). */
    async finishDelivery(input: { deliveryId: string; status: 'cancelled' | 'failed'; reason: string }): Promise<void> {
      await stores.transaction(async (tx) => {
        await tx.deliveries.finish(input.deliveryId, input.status, input.reason);
        await tx.attempts.discardUnsent(input.deliveryId);
      });
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createActivities>;

/** Heartbeats every 2 s while a POST is under way (the workflow's heartbeat timeout is 10 s). */
function keepHeartbeating(): { stop: () => void } {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    return { stop: () => undefined }; // called outside an activity (unit tests)
  }
  const timer = setInterval(() => context.heartbeat(), 2_000);
  return { stop: () => clearInterval(timer) };
}

/** True when the write finished in time; false when it failed or is still running (it may yet land: writes are idempotent). */
async function writeWithin(timeoutMs: number, write: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      write().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
