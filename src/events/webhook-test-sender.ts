import { randomUUID } from 'node:crypto';
import type { DeliveryStarter } from '../deliveries/delivery-starter';
import { deliveryWorkflowId } from '../deliveries/delivery-workflow-id';
import type { Stores } from '../store/create-stores';
import { routeContext } from './envelope-context';

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
  constructor(private readonly deps: { stores: Stores; starter: DeliveryStarter }) {}

  async send(teamId: string, webhookId: string, now = new Date()): Promise<TestSendResult> {
    const webhook = await this.deps.stores.webhooks.findById(teamId, webhookId);
    if (!webhook) return { kind: 'not_found' };
    if (!webhook.enabled) return { kind: 'disabled' };
    const route = await this.deps.stores.routes.findById(teamId, webhook.routeId);
    if (!route) return { kind: 'not_found' };

    const envelope = {
      id: `test-${randomUUID()}`,
      event: 'webhook.test',
      timestamp: now.toISOString(),
      data: { message: TEST_WEBHOOK_MESSAGE, webhook_id: webhook.id, timestamp: Math.floor(now.getTime() / 1000) },
      context: routeContext(route),
    };
    const deliveryId = randomUUID();
    const attemptId = randomUUID();
    const workflowId = deliveryWorkflowId(envelope.event, deliveryId);
    const eventId = await this.deps.stores.transaction(async (stores) => {
      const { event } = await stores.events.insertOnce({
        id: randomUUID(),
        teamId,
        routeId: route.id,
        envelopeId: envelope.id,
        eventType: envelope.event,
        body: JSON.stringify(envelope),
        occurredAt: now,
      });
      await stores.deliveries.insertMany([
        { id: deliveryId, teamId, eventId: event.id, webhookId: webhook.id, routeId: route.id, workflowId },
      ]);
      await stores.attempts.begin(
        { deliveryId, teamId, webhookId: webhook.id, eventId: event.id, eventType: envelope.event },
        1,
        attemptId,
      );
      return event.id;
    });

    // A start that fails here is left to the outbox sweeper: the delivery is committed, so it will still go out.
    await this.deps.starter.startCommittedSoon([deliveryId]);
    return { kind: 'sent', attemptId, deliveryId, eventId };
  }
}
