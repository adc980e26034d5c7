import { deliverySchema, deliveryWrittenSchema } from '../../schemas/delivery-schemas';
import {
  bulkReplayRequestSchema,
  replayDryRunSchema,
  replayJobSchema,
  replayJobWrittenSchema,
} from '../../schemas/replay-job-schemas';
import type { ApiOperation } from '../api-operation';

/** Ours, beyond Lettermint (SPEC §6): deliveries, their cancel and replay, and bulk replays. */
export function deliveryOperations(): ApiOperation[] {
  return [
    {
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
    {
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
    {
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
    {
      method: 'post',
      path: '/v1/webhooks/{id}/replays',
      operationId: 'startBulkReplay',
      tag: 'Replays',
      scope: 'manage',
      summary: "Replay a webhook's failed deliveries in a time window",
      body: { name: 'BulkReplayRequest', schema: bulkReplayRequestSchema, required: true },
      response: {
        name: 'ReplayJobWritten',
        schema: replayJobWrittenSchema,
        status: 202,
        description: 'The replay job, started.',
      },
      alternativeResponse: {
        name: 'ReplayDryRun',
        schema: replayDryRunSchema,
        status: 200,
        description: 'With `dry_run`: how many deliveries it would replay.',
      },
      errors: [404, 422],
    },
    {
      method: 'get',
      path: '/v1/replay-jobs/{id}',
      operationId: 'showReplayJob',
      tag: 'Replays',
      scope: 'manage',
      summary: 'Show a replay job and its progress',
      response: { name: 'ReplayJob', schema: replayJobSchema, status: 200, description: 'The job.' },
      errors: [404],
    },
    {
      method: 'post',
      path: '/v1/replay-jobs/{id}/cancel',
      operationId: 'cancelReplayJob',
      tag: 'Replays',
      scope: 'manage',
      summary: 'Cancel a running replay job',
      response: { name: 'ReplayJobWritten', schema: replayJobWrittenSchema, status: 200, description: 'Cancelled.' },
      errors: [404, 409],
    },
  ];
}
