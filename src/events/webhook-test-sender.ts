import { randomUUID } from 'node:crypto';
import type { Database } from '../db/create-database';
import { deliveryWorkflowId, type DeliveryStarter } from '../deliveries/delivery-starter';
import { targetHostOf } from '../deliveries/target-host';
import { AttemptStore } from '../store/attempt-store';
import { DeliveryStore } from '../store/delivery-store';
import { EventStore } from '../store/event-store';
import { RouteStore } from '../store/route-store';
import { WebhookStore } from '../store/webhook-store';

/** Lettermint's exact wording, which receivers written against it may look for. */
export const TEST_WEBHOOK_MESSAGE = 'This is a test webhook from Lettermint';

export type TestSendResult =
  | { kind: 'sent'; attemptId: string; deliveryId: string; eventId: string }
  | { kind: 'not_found' }
  | { kind: 'disabled' };

/**
 * Sends `webhook.test` to one webhook, whatever events it subscribes to. It is an ordinary delivery (signed,
 * recorded, retried on the schedule, cancellable), whose first attempt record is created up front so that the
 * API can answer with its id and the client can read it at once.
 */
export class WebhookTestSender {
  constructor(
    private readonly db: Database,
    private readonly starter: DeliveryStarter,
  ) {}

  async send(teamId: string, webhookId: string, now = new Date()): Promise<TestSendResult> {
    const webhook = await new WebhookStore(this.db).findById(teamId, webhookId);
    if (!webhook) return { kind: 'not_found' };
    if (!webhook.enabled) return { kind: 'disabled' };
    const route = await new RouteStore(this.db).findById(teamId, webhook.routeId);
    if (!route) return { kind: 'not_found' };

    const envelope = {
      id: `test-${randomUUID()}`,
      event: 'webhook.test',
      timestamp: now.toISOString(),
      data: { message: TEST_WEBHOOK_MESSAGE, webhook_id: webhook.id, timestamp: Math.floor(now.getTime() / 1000) },
    };
    const deliveryId = randomUUID();
    const attemptId = randomUUID();
    const workflowId = deliveryWorkflowId(envelope.event, deliveryId);
    const eventId = await this.db.transaction(async (trx) => {
      const { event } = await new EventStore(trx).insertOnce({
        id: randomUUID(),
        teamId,
        routeId: route.id,
        envelopeId: envelope.id,
        eventType: envelope.event,
        body: JSON.stringify(envelope),
        occurredAt: now,
      });
      await new DeliveryStore(trx).insertMany([
        { id: deliveryId, teamId, eventId: event.id, webhookId: webhook.id, routeId: route.id, workflowId },
      ]);
      await new AttemptStore(trx).begin(
        { deliveryId, teamId, webhookId: webhook.id, eventId: event.id, eventType: envelope.event },
        1,
        attemptId,
      );
      return event.id;
    });

    // A start that fails here is left to the outbox sweeper: the delivery is committed, so it will still go out.
    await this.starter.start([
      {
        deliveryId,
        workflowId,
        webhookId: webhook.id,
        routeId: route.id,
        projectId: route.projectId,
        eventType: envelope.event,
        targetHost: targetHostOf(webhook.url),
      },
    ]);
    return { kind: 'sent', attemptId, deliveryId, eventId };
  }
}
