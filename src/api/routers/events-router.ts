import { Router } from 'express';
import { z } from 'zod';
import { EVENT_TYPES } from '../../events/event-types';
import type { EventInput, EventTrigger, TriggeredEvent } from '../../events/event-trigger';
import { requireScope } from '../authenticate';
import { parseInput } from '../parse-input';
import { deliveryRefJson } from '../presenters/delivery-json';

export const MAX_BATCH_EVENTS = 100;
/** Deep enough for any real payload; deeper would only exercise recursion in serialisers (ours and receivers'). */
export const MAX_DATA_DEPTH = 64;

/** Nesting depth of a JSON value, measured without recursion (the value may be thousands of levels deep). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_DATA_DEPTH) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export const eventInputSchema = z
  .object({
    route_id: z.uuid({ message: 'The route id must be a UUID.' }),
    event: z.enum(EVENT_TYPES, { message: 'The event must be a known event type.' }),
    data: z
      .record(z.string(), z.unknown(), { message: 'The data must be a JSON object.' })
      .refine(
        (data) => depthOf(data) <= MAX_DATA_DEPTH,
        `The data must not be nested more than ${MAX_DATA_DEPTH} levels deep.`,
      ),
    id: z.string().min(1).max(255).optional(),
    timestamp: z.iso.datetime({ offset: true, message: 'The timestamp must be an ISO-8601 date-time.' }).optional(),
  })
  .strict();

const batchSchema = z
  .object({
    events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS, `At most ${MAX_BATCH_EVENTS} events per batch.`),
  })
  .strict();

function toEventInput(body: z.infer<typeof eventInputSchema>): EventInput {
  return { routeId: body.route_id, event: body.event, data: body.data, id: body.id, timestamp: body.timestamp };
}

function triggeredJson(result: TriggeredEvent) {
  return {
    id: result.id,
    route_id: result.routeId,
    event: result.event,
    timestamp: result.timestamp,
    duplicate: !result.created,
    deliveries: result.deliveries.map(deliveryRefJson),
  };
}

/** `POST /v1/events` and its batch form, for internal services with a `trigger` token. */
export function eventsRouter(trigger: EventTrigger): Router {
  const router = Router();
  router.post('/events', requireScope('trigger'), async (req, res) => {
    const input = parseInput(eventInputSchema, req.body);
    const result = await trigger.trigger(res.locals.principal.teamId, toEventInput(input));
    res
      .status(202)
      .json({ data: triggeredJson(result), message: result.created ? 'Event accepted.' : 'Event already accepted.' });
  });

  router.post('/events/batch', requireScope('trigger'), async (req, res) => {
    const { events } = parseInput(batchSchema, req.body);
    // Validate the whole batch before starting anything, so a bad item never leaves half a batch behind.
    const inputs = events.map((event, index) => toEventInput(parseInput(eventInputSchema, event, `events.${index}`)));
    const results: TriggeredEvent[] = [];
    for (const input of inputs) results.push(await trigger.trigger(res.locals.principal.teamId, input));
    res.status(202).json({ data: results.map(triggeredJson), message: `${results.length} events accepted.` });
  });

  return router;
}
