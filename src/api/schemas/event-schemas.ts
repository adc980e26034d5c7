import { z } from 'zod';
import { EVENT_TYPES } from '../../events/event-types';
import { eventInputSchema, MAX_BATCH_EVENTS } from '../routers/events-router';

/** The batch body, described with the very item schema the events router validates each event with. */
export const eventBatchInputSchema = z
  .object({ events: z.array(eventInputSchema).min(1).max(MAX_BATCH_EVENTS) })
  .strict();

const deliveryRefSchema = z.object({
  id: z.uuid(),
  webhook_id: z.uuid(),
  workflow_id: z.string(),
  status: z.enum(['pending', 'success', 'failed', 'cancelled']),
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
