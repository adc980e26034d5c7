import { randomUUID } from 'node:crypto';
import { routeContext } from './envelope-context';
import type { Logger } from 'pino';
import type { DeliveryStarter } from '../deliveries/delivery-starter';
import { ConflictError } from '../errors/conflict-error';
import { NotFoundError } from '../errors/not-found-error';
import { RateLimitedError } from '../errors/rate-limited-error';
import { ValidationError } from '../errors/validation-error';
import type { Stores } from '../store/create-stores';
import type { Delivery } from '../store/delivery';
import type { DeliveryToStart } from '../store/delivery-outbox';
import type { Route } from '../store/route-store';
import { isMachineEvent } from './event-types';
import type { TeamDeliveryBudget } from './team-delivery-budget';

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

export interface EventTriggerDependencies {
  stores: Stores;
  starter: DeliveryStarter;
  logger: Logger;
  /** Deliveries a team may trigger, shared by all its requests in this process. */
  budget: TeamDeliveryBudget;
  /** Most deliveries one request may create (a batch counts as one request). @default 1_000 */
  maxDeliveriesPerRequest?: number;
}

/**
 * Stores events and their deliveries in one transaction, then starts one workflow per delivery. Postgres is the
 * outbox: the answer is given once the transaction commits, whatever Temporal does next (a start that fails or
 * takes too long is left to the sweeper), so a client never sees an error for an event that was accepted.
 */
export class EventTrigger {
  constructor(private readonly deps: EventTriggerDependencies) {}

  async trigger(teamId: string, input: EventInput): Promise<TriggeredEvent> {
    return (await this.triggerMany(teamId, [input]))[0]!;
  }

  /** A batch is all or nothing: every route checked first, one transaction, one pool of starts. */
  async triggerMany(teamId: string, inputs: readonly EventInput[]): Promise<TriggeredEvent[]> {
    const routes = await this.routesOf(teamId, inputs);
    // A request larger than the team's whole burst could never pass its budget: it is too large, not too early.
    const maxDeliveries = Math.min(this.deps.maxDeliveriesPerRequest ?? 1_000, this.deps.budget.largestRequest);

    const { results, toStart, unstarted } = await this.deps.stores.transaction(async (stores) => {
      const results: TriggeredEvent[] = [];
      const toStart: DeliveryToStart[] = [];
      const unstarted: string[] = [];
      let cost = 0;
      for (const input of inputs) {
        const route = routes.get(input.routeId)!;
        const envelope = {
          id: input.id ?? randomUUID(),
          event: input.event,
          timestamp: new Date(input.timestamp ?? Date.now()).toISOString(),
          data: input.data,
          context: routeContext(route),
        };
        const stored = await stores.events.insertOnce({
          id: randomUUID(),
          teamId,
          routeId: route.id,
          envelopeId: envelope.id,
          eventType: envelope.event,
          body: JSON.stringify(envelope),
          occurredAt: new Date(envelope.timestamp),
        });
        const answer = {
          id: stored.event.envelopeId,
          routeId: route.id,
          event: stored.event.eventType,
          created: stored.created,
        };
        const timestamp = (JSON.parse(stored.event.body) as { timestamp: string }).timestamp;
        if (!stored.created) {
          assertSameEvent(stored.event.body, envelope);
          const existing = await stores.deliveries.listOriginalsForEvent(stored.event.id);
          unstarted.push(...existing.filter((d) => !d.workflowStartedAt && d.status === 'pending').map((d) => d.id));
          results.push({ ...answer, timestamp, deliveries: existing });
          continue;
        }
        const created = await stores.outbox.createForEvent({
          teamId,
          eventId: stored.event.id,
          routeId: route.id,
          projectId: route.projectId,
          eventType: envelope.event,
          machine: isMachineEvent(envelope.event, envelope.data),
        });
        // An event that reaches no webhook still costs a write: it counts as one.
        cost += Math.max(1, created.deliveries.length);
        toStart.push(...created.toStart);
        results.push({ ...answer, timestamp, deliveries: created.deliveries });
      }
      if (toStart.length > maxDeliveries) {
        throw ValidationError.field(
          'events',
          `This request would create ${toStart.length} deliveries; at most ${maxDeliveries} are allowed per request.`,
        );
      }
      const decision = this.deps.budget.take(teamId, cost);
      if (!decision.granted) {
        throw new RateLimitedError(
          `Too many deliveries triggered for this team: retry after ${decision.retryAfterSeconds} s.`,
          decision.retryAfterSeconds,
        );
      }
      return { results, toStart, unstarted };
    });

    // Committed: from here on the answer is 202 whatever happens; the outbox sweeper finishes what this does not.
    try {
      const again = await this.deps.stores.outbox.listToStart(unstarted);
      await this.deps.starter.startSoon([...toStart, ...again]);
    } catch (err) {
      this.deps.logger.warn({ err }, 'accepted events whose deliveries the outbox sweeper will start');
    }
    return results;
  }

  /** Every route the inputs name, each a live route of the team; any other is a 404 before anything is written. */
  private async routesOf(teamId: string, inputs: readonly EventInput[]): Promise<Map<string, Route>> {
    const ids = [...new Set(inputs.map((input) => input.routeId))];
    const found = await this.deps.stores.routes.findManyByIds(teamId, ids);
    if (found.length !== ids.length) throw new NotFoundError('Route');
    return new Map(found.map((route) => [route.id, route]));
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
