import { z } from 'zod';
import { ENVELOPE_ID_PATTERN } from '../../events/envelope-id';
import { EVENT_TYPES } from '../../events/event-types';
import { DELIVERY_STATUSES } from '../../../workflows/delivery-status';
import { walkJson } from '../walk-json';

export const MAX_BATCH_EVENTS = 100;
/** Deep enough for any real payload; deeper would only exercise recursion in serialisers (ours and receivers'). */
export const MAX_DATA_DEPTH = 64;

/** Nesting depth of a JSON value, measured only as far as the limit. */
function depthOf(value: unknown): number {
  let deepest = 0;
  walkJson(value, ({ value: node, depth }) => {
    if (node === null || typeof node !== 'object') return false;
    deepest = Math.max(deepest, depth);
    return deepest <= MAX_DATA_DEPTH || 'stop';
  });
  return deepest;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Free-form `data`, kept exactly as parsed. Not a `z.record`: that copies the object key by key, and assigning an
 * own `__proto__` key sets the copy's prototype instead, so `{"__proto__": …}` vanished from the stored and delivered
 * body without a word (audit 16). JSON.parse makes `__proto__` an ordinary own property, and JSON.stringify writes
 * it back, so passing the parsed object through keeps it byte for byte, at the top level as at any depth.
 */
const eventDataField = z
  .unknown()
  .refine(isJsonObject, 'The data must be a JSON object.')
  .refine(
    (data) => depthOf(data) <= MAX_DATA_DEPTH,
    `The data must not be nested more than ${MAX_DATA_DEPTH} levels deep.`,
  )
  .meta({ type: 'object', additionalProperties: {} });

/** One event as an internal service triggers it. */
export const eventInputSchema = z
  .object({
    route_id: z.uuid({ message: 'The route id must be a UUID.' }),
    event: z.enum(EVENT_TYPES, { message: 'The event must be a known event type.' }),
    data: eventDataField,
    id: z
      .string()
      .regex(ENVELOPE_ID_PATTERN, { message: 'The id must be 1 to 128 letters, digits, underscores or hyphens.' })
      .optional()
      .meta({ description: 'The envelope id (default: a new UUID); posting it again on the route is idempotent.' }),
    timestamp: z.iso.datetime({ offset: true, message: 'The timestamp must be an ISO-8601 date-time.' }).optional(),
  })
  .strict();

/** The batch as first read: each item is then validated with {@link eventInputSchema}, naming `events.N.field`. */
export const eventBatchEnvelopeSchema = z
  .object({
    events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS, `At most ${MAX_BATCH_EVENTS} events per batch.`),
  })
  .strict();

/** The batch body as the OpenAPI document describes it, with the very item schema each event is validated with. */
export const eventBatchInputSchema = z
  .object({ events: z.array(eventInputSchema).min(1).max(MAX_BATCH_EVENTS) })
  .strict();

const deliveryRefSchema = z.object({
  id: z.uuid(),
  webhook_id: z.uuid(),
  workflow_id: z.string(),
  status: z.enum(DELIVERY_STATUSES),
});

export const triggeredEventSchema = z.object({
  id: z.string().meta({ description: 'The envelope id.' }),
  route_id: z.uuid(),
  event: z.enum(EVENT_TYPES),
  timestamp: z.iso.datetime(),
  duplicate: z
    .boolean()
    .meta({ description: 'True when this id was already accepted on the route: nothing new was started.' }),
  deliveries: z.array(deliveryRefSchema),
});

export const eventAcceptedSchema = z.object({ data: triggeredEventSchema, message: z.string() });

export const eventBatchAcceptedSchema = z.object({ data: z.array(triggeredEventSchema), message: z.string() });
