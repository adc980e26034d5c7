import { deliverySchema, deliveryWrittenSchema } from '../schemas/delivery-schemas';
import type { ApiOperation } from './api-operation';

/** Ours, beyond Lettermint: a delivery, its cancel and its replay. */
export const deliveryOperations = {
  showDelivery: {
    method: 'get',
    path: '/v1/deliveries/{id}',
    operationId: 'showDelivery',
    tag: 'Deliveries',
    scope: 'manage',
    summary: 'Show a delivery',
    description: 'Ours, beyond Lettermint: one event to one webhook with all its attempts and its Temporal workflow.',
    response: { name: 'Delivery', schema: deliverySchema, status: 200, description: 'The delivery.' },
    errors: [404],
  },
  cancelDelivery: {
    method: 'post',
    path: '/v1/deliveries/{id}/cancel',
    operationId: 'cancelDelivery',
    tag: 'Deliveries',
    scope: 'manage',
    summary: 'Cancel a pending delivery',
    description: 'An attempt in flight is finished and recorded; no further attempt is made.',
    response: { name: 'DeliveryWritten', schema: deliveryWrittenSchema, status: 200, description: 'Cancelled.' },
    errors: [404, 409],
  },
  replayDelivery: {
    method: 'post',
    path: '/v1/deliveries/{id}/replay',
    operationId: 'replayDelivery',
    tag: 'Deliveries',
    scope: 'manage',
    summary: 'Replay a finished delivery',
    description: 'A new delivery of the same event to the same webhook, linked by `replay_of`.',
    response: {
      name: 'DeliveryWritten',
      schema: deliveryWrittenSchema,
      status: 202,
      description: 'The new delivery, started.',
    },
    errors: [404, 409],
  },
} satisfies Record<string, ApiOperation>;
