import {
  eventAcceptedSchema,
  eventBatchAcceptedSchema,
  eventBatchInputSchema,
  eventInputSchema,
} from '../schemas/event-schemas';
import type { ApiOperation } from './api-operation';

/** Triggering events, for internal services with a `trigger` token. */
export const eventOperations = {
  triggerEvent: {
    method: 'post',
    path: '/v1/events',
    operationId: 'triggerEvent',
    tag: 'Events',
    scope: 'trigger',
    summary: 'Trigger an event',
    description:
      'Stores the event and starts one delivery per enabled webhook of the route subscribed to it. Idempotent on `id` per route.',
    body: { name: 'EventInput', schema: eventInputSchema, required: true },
    response: {
      name: 'EventAccepted',
      schema: eventAcceptedSchema,
      status: 202,
      description: 'Accepted; deliveries started.',
    },
    errors: [404, 409, 422],
  },
  triggerEvents: {
    method: 'post',
    path: '/v1/events/batch',
    operationId: 'triggerEvents',
    tag: 'Events',
    scope: 'trigger',
    summary: 'Trigger many events',
    body: { name: 'EventBatchInput', schema: eventBatchInputSchema, required: true },
    response: { name: 'EventBatchAccepted', schema: eventBatchAcceptedSchema, status: 202, description: 'Accepted.' },
    errors: [404, 409, 422],
  },
} satisfies Record<string, ApiOperation>;
