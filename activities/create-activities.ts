import type { Database } from '../src/db/create-database';
import { buildSignatureHeader } from '../src/signature/sign-payload';
import { AttemptStore } from '../src/store/attempt-store';
import { DeliveryStore, type DeliveryStatus } from '../src/store/delivery-store';
import { EventStore } from '../src/store/event-store';
import { WebhookStore } from '../src/store/webhook-store';
import type { AttemptResult } from './attempt-result';
import type { WebhookPoster } from './post-webhook';

export interface ActivityDependencies {
  db: Database;
  post: WebhookPoster;
  /** Sent as `User-Agent` with every attempt. */
  userAgent: string;
  /** Wall clock for signatures; injectable so tests can pin it. */
  now?: () => Date;
}

export type BeginAttemptResult = { kind: 'send'; attemptId: string } | { kind: 'stop'; reason: string };

export interface RecordAttemptInput {
  deliveryId: string;
  attemptId: string;
  attemptNumber: number;
  result: AttemptResult;
  deliveryStatus: DeliveryStatus;
  nextAttemptAt: string | null;
}

/** Thrown (and retried by Temporal) when the rows a delivery needs are not there; a state, not a receiver's answer. */
export class MissingDeliveryDataError extends Error {
  override name = 'MissingDeliveryData';
}

/**
 * The side effects of a delivery. Database work throws on failure so that Temporal retries it until Postgres is
 * back; the POST never throws for anything the receiver does.
 */
export function createActivities(deps: ActivityDependencies) {
  const { db, post, userAgent } = deps;
  const now = deps.now ?? (() => new Date());
  const deliveries = new DeliveryStore(db);
  const webhooks = new WebhookStore(db);
  const events = new EventStore(db);
  const attempts = new AttemptStore(db);

  async function loadDelivery(deliveryId: string) {
    const delivery = await deliveries.findById(deliveryId);
    if (!delivery) return undefined;
    const event = await events.findById(delivery.eventId);
    if (!event) throw new MissingDeliveryDataError(`event ${delivery.eventId} of delivery ${deliveryId} not found`);
    return { delivery, event };
  }

  return {
    /** Reads the current webhook and opens the attempt record, or says why the delivery must stop. */
    async beginAttempt(input: { deliveryId: string; attemptNumber: number }): Promise<BeginAttemptResult> {
      const loaded = await loadDelivery(input.deliveryId);
      if (!loaded) return { kind: 'stop', reason: 'delivery record not found' };
      const { delivery, event } = loaded;
      if (delivery.status !== 'pending') return { kind: 'stop', reason: `delivery already ${delivery.status}` };
      const target = await webhooks.findTarget(delivery.webhookId, now());
      if (target.state === 'deleted') return { kind: 'stop', reason: 'webhook deleted' };
      if (target.state === 'disabled') return { kind: 'stop', reason: 'webhook disabled' };
      const attempt = await attempts.begin(
        { deliveryId: delivery.id, teamId: delivery.teamId, webhookId: delivery.webhookId, eventId: event.id, eventType: event.eventType },
        input.attemptNumber,
      );
      return { kind: 'send', attemptId: attempt.id };
    },

    /** Signs the stored body afresh with the webhook's current secret(s) and POSTs it to its current URL. */
    async sendAttempt(input: { deliveryId: string; attemptId: string; attemptNumber: number }): Promise<AttemptResult> {
      const loaded = await loadDelivery(input.deliveryId);
      if (!loaded) throw new MissingDeliveryDataError(`delivery ${input.deliveryId} not found`);
      const { delivery, event } = loaded;
      const target = await webhooks.findTarget(delivery.webhookId, now());
      const timestamp = Math.floor(now().getTime() / 1000);
      return post({
        url: target.url,
        body: event.body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': userAgent,
          'X-Lettermint-Signature': buildSignatureHeader(target.secrets, timestamp, event.body),
          'X-Lettermint-Event': event.eventType,
          'X-Lettermint-Delivery': String(timestamp),
          'X-Lettermint-Attempt': String(input.attemptNumber),
        },
      });
    },

    /** Writes the attempt's outcome and the delivery's new state in one transaction. */
    async recordAttempt(input: RecordAttemptInput): Promise<void> {
      await db.transaction(async (trx) => {
        await new AttemptStore(trx).complete(input.attemptId, input.result);
        const delivery = await new DeliveryStore(trx).findById(input.deliveryId);
        await new DeliveryStore(trx).recordAttemptOutcome(input.deliveryId, {
          attemptNumber: input.attemptNumber,
          attemptStatus: input.result.status,
          attemptAt: new Date(input.result.finishedAt),
          status: input.deliveryStatus,
          nextAttemptAt: input.nextAttemptAt ? new Date(input.nextAttemptAt) : null,
        });
        if (delivery) await new WebhookStore(trx).touchLastCalled(delivery.webhookId, new Date(input.result.finishedAt));
      });
    },

    /** Ends a delivery that did not run its course (cancelled, webhook gone). */
    async finishDelivery(input: { deliveryId: string; status: 'cancelled' | 'failed'; reason: string }): Promise<void> {
      await db.transaction(async (trx) => {
        await new DeliveryStore(trx).finish(input.deliveryId, input.status, input.reason);
        await new AttemptStore(trx).discardUnsent(input.deliveryId);
      });
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createActivities>;
