import {
  bulkReplayRequestSchema,
  replayDryRunSchema,
  replayJobSchema,
  replayJobWrittenSchema,
} from '../schemas/replay-job-schemas';
import type { ApiOperation } from './api-operation';

/** Ours, beyond Lettermint: bulk replays of a webhook's finished deliveries, as durable jobs. */
export const replayJobOperations = {
  startBulkReplay: {
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
  showReplayJob: {
    method: 'get',
    path: '/v1/replay-jobs/{id}',
    operationId: 'showReplayJob',
    tag: 'Replays',
    scope: 'manage',
    summary: 'Show a replay job and its progress',
    response: { name: 'ReplayJob', schema: replayJobSchema, status: 200, description: 'The job.' },
    errors: [404],
  },
  cancelReplayJob: {
    method: 'post',
    path: '/v1/replay-jobs/{id}/cancel',
    operationId: 'cancelReplayJob',
    tag: 'Replays',
    scope: 'manage',
    summary: 'Cancel a running replay job',
    response: { name: 'ReplayJobWritten', schema: replayJobWrittenSchema, status: 200, description: 'Cancelled.' },
    errors: [404, 409],
  },
} satisfies Record<string, ApiOperation>;
