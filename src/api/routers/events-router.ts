import { Router } from 'express';
import type { EventInput, EventTrigger } from '../../events/event-trigger';
import { eventOperations } from '../operations/event-operations';
import { route } from '../operations/api-operation';
import { parseInput } from '../parse-input';
import { triggeredEventJson } from '../presenters/triggered-event-json';
import { eventBatchEnvelopeSchema, eventInputSchema } from '../schemas/event-schemas';
import type { z } from 'zod';

export interface EventsRouterDependencies {
  trigger: EventTrigger;
}

function toEventInput(body: z.output<typeof eventInputSchema>): EventInput {
  return { routeId: body.route_id, event: body.event, data: body.data, id: body.id, timestamp: body.timestamp };
}

/** `POST /v1/events` and its batch form, for internal services with a `trigger` token. */
export function eventsRouter(deps: EventsRouterDependencies): Router {
  const router = Router();
  route(router, eventOperations.triggerEvent, async (req, res) => {
    const input = parseInput(eventInputSchema, req.body);
    const result = await deps.trigger.trigger(res.locals.principal.teamId, toEventInput(input));
    res.status(202).json({
      data: triggeredEventJson(result),
      message: result.created ? 'Event accepted.' : 'Event already accepted.',
    });
  });

  route(router, eventOperations.triggerEvents, async (req, res) => {
    const { events } = parseInput(eventBatchEnvelopeSchema, req.body);
    // Validate the whole batch before starting anything, so a bad item never leaves half a batch behind.
    const inputs = events.map((event, index) => toEventInput(parseInput(eventInputSchema, event, `events.${index}`)));
    const results = await deps.trigger.triggerMany(res.locals.principal.teamId, inputs);
    res.status(202).json({ data: results.map(triggeredEventJson), message: `${results.length} events accepted.` });
  });

  return router;
}
