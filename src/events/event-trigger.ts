import { randomUUID } from 'node:crypto';
import { deliveryWorkflowId } from '../deliveries/delivery-workflow-id';
import type { DeliveryStarter } from '../deliveries/delivery-starter';
import { ConflictError } from '../errors/conflict-error';
import { NotFoundError } from '../errors/not-found-error';
import type { Stores } from '../store/create-stores';
import type { Delivery } from '../store/delivery';
import { isMachineEvent } from './event-types';

/** A validated trigger request. */
export interface EventInput {
  routeId: string;
  event: string;
  data: unknown;
  id?: string;
  /** ISO-8601; defaults to the time of the request. */
  timestamp?: string;
}

export interface TriggeredEvent {
  id: string;
  routeId: string;
  event: string;
  timestamp: string;
  /** False when the envelope id was already seen on the route: nothing new was started. */
  created: boolean;
  deliveries: Delivery[];
}

/**
 * Stores an event and its deliveries in one transaction, then starts one workflow per delivery. Postgres is the
 * outbox: if the process dies before Temporal accepted a start, the sweeper starts it later.
 */
export class EventTrigger {
  constructor(private readonly deps: { stores: Stores; starter: DeliveryStarter }) {}

  async trigger(teamId: string, input: EventInput): Promise<TriggeredEvent> {
    const route = await this.deps.stores.routes.findById(teamId, input.routeId);
    if (!route) throw new NotFoundError('Route');
    const envelope = {
      id: input.id ?? randomUUID(),
      event: input.event,
      timestamp: new Date(input.timestamp ?? Date.now()).toISOString(),
      data: input.data,
    };
    const body = JSON.stringify(envelope);

    const { event, created, deliveries, toStart } = await this.deps.stores.transaction(async (stores) => {
      const stored = await stores.events.insertOnce({
        id: randomUUID(),
        teamId,
        routeId: route.id,
        envelopeId: envelope.id,
        eventType: envelope.event,
        body,
        occurredAt: new Date(envelope.timestamp),
      });
      if (!stored.created) {
        assertSameEvent(stored.event.body, envelope);
        const existing = await stores.deliveries.listOriginalsForEvent(stored.event.id);
        return { ...stored, deliveries: existing, toStart: existing.filter((d) => !d.workflowStartedAt) };
      }
      const machine = isMachineEvent(envelope.event, envelope.data);
      const webhooks = (await stores.webhooks.listSubscribed(route.id, envelope.event)).filter(
        (webhook) => !machine || webhook.includeMachineEvents,
      );
      const inserted = await stores.deliveries.insertMany(
        webhooks.map((webhook) => {
          const id = randomUUID();
          return {
            id,
            teamId,
            eventId: stored.event.id,
            webhookId: webhook.id,
            routeId: route.id,
            workflowId: deliveryWorkflowId(envelope.event, id),
          };
        }),
      );
      return { ...stored, deliveries: inserted, toStart: inserted };
    });

    if (toStart.length > 0) await this.deps.starter.startCommitted(toStart.map((d) => d.id));
    const envelopeOut = JSON.parse(event.body) as { timestamp: string };
    return {
      id: event.envelopeId,
      routeId: route.id,
      event: event.eventType,
      timestamp: envelopeOut.timestamp,
      created,
      deliveries,
    };
  }
}

/** Reusing an envelope id for a different event is a client bug worth a loud answer, not a silent no-op. */
function assertSameEvent(storedBody: string, incoming: { event: string; data: unknown }): void {
  const stored = JSON.parse(storedBody) as { event: string; data: unknown };
  if (stored.event !== incoming.event || JSON.stringify(stored.data) !== JSON.stringify(incoming.data)) {
    throw new ConflictError('An event with this id was already triggered on this route with different content.', {
      id: ['This id is already used by a different event on this route.'],
    });
  }
}
