import { z } from 'zod';
import { cursorPageSchema } from '../schemas/page-schemas';
import { dataWithMessage } from '../schemas/common-fields';
import {
  attemptDetailSchema,
  attemptListQuerySchema,
  attemptSummarySchema,
  manualRetryResponseSchema,
} from '../schemas/webhook-delivery-schemas';
import {
  regenerateSecretSchema,
  testDeliveryResponseSchema,
  webhookCreateSchema,
  webhookListItemSchema,
  webhookListQuerySchema,
  webhookSchema,
  webhookUpdateSchema,
  webhookWithSecretSchema,
} from '../schemas/webhook-schemas';
import { deletedResponse, type ApiOperation } from './api-operation';

/** The policy of a default install: the document shows what production accepts. */
const DEFAULT_TARGETS = { allowHttp: false, allowPrivate: false };

/** Lettermint's webhooks API, with each webhook's attempt history (which Lettermint calls its deliveries). */
const webhookWithSecretWritten = dataWithMessage(webhookWithSecretSchema);

export const webhookOperations = {
  listWebhooks: {
    method: 'get',
    path: '/v1/webhooks',
    operationId: 'listWebhooks',
    tag: 'Webhooks',
    scope: 'manage',
    summary: 'List webhooks',
    query: webhookListQuerySchema,
    response: {
      name: 'WebhookPage',
      schema: cursorPageSchema(webhookListItemSchema),
      status: 200,
      description: 'A page of webhooks (no secrets).',
    },
    errors: [422],
  },
  createWebhook: {
    method: 'post',
    path: '/v1/webhooks',
    operationId: 'createWebhook',
    tag: 'Webhooks',
    scope: 'manage',
    summary: 'Create a webhook',
    body: { name: 'WebhookCreate', schema: webhookCreateSchema(DEFAULT_TARGETS), required: true },
    response: {
      name: 'WebhookCreated',
      schema: webhookWithSecretWritten,
      status: 201,
      description: 'Created; the only answer besides regenerate-secret that shows the secret.',
    },
    errors: [422],
  },
  showWebhook: {
    method: 'get',
    path: '/v1/webhooks/{id}',
    operationId: 'showWebhook',
    tag: 'Webhooks',
    scope: 'manage',
    summary: 'Show a webhook',
    response: {
      name: 'Webhook',
      schema: webhookSchema,
      status: 200,
      description: 'The webhook, without its secret.',
    },
    errors: [404],
  },
  updateWebhook: {
    method: 'put',
    path: '/v1/webhooks/{id}',
    operationId: 'updateWebhook',
    tag: 'Webhooks',
    scope: 'manage',
    summary: 'Update a webhook',
    description: 'Disabling it stops its pending deliveries.',
    body: { name: 'WebhookUpdate', schema: webhookUpdateSchema(DEFAULT_TARGETS), required: true },
    response: {
      name: 'WebhookUpdated',
      schema: dataWithMessage(webhookSchema).extend({
        cancelled_deliveries: z
          .number()
          .int()
          .optional()
          .meta({ description: 'When it disabled the webhook: its pending deliveries cancelled.' }),
      }),
      status: 200,
      description: 'Updated.',
    },
    errors: [404, 422],
  },
  deleteWebhook: {
    method: 'delete',
    path: '/v1/webhooks/{id}',
    operationId: 'deleteWebhook',
    tag: 'Webhooks',
    scope: 'manage',
    summary: 'Delete a webhook',
    description: 'Its pending deliveries stop.',
    response: deletedResponse('Webhook'),
    errors: [404],
  },
  testWebhook: {
    method: 'post',
    path: '/v1/webhooks/{id}/test',
    operationId: 'testWebhook',
    tag: 'Webhooks',
    scope: 'manage',
    summary: 'Send a test webhook',
    description: 'Sends `webhook.test` to this webhook only. A disabled webhook answers 422.',
    response: {
      name: 'TestDeliverySent',
      schema: testDeliveryResponseSchema,
      status: 200,
      description: 'Sent; the attempt record is readable at once.',
    },
    errors: [404, 422],
  },
  regenerateWebhookSecret: {
    method: 'post',
    path: '/v1/webhooks/{id}/regenerate-secret',
    operationId: 'regenerateWebhookSecret',
    tag: 'Webhooks',
    scope: 'manage',
    summary: 'Regenerate the secret',
    body: { name: 'RegenerateSecret', schema: regenerateSecretSchema, required: false },
    response: {
      name: 'SecretRegenerated',
      schema: webhookWithSecretWritten,
      status: 200,
      description: 'The webhook with its new secret.',
    },
    errors: [404, 422],
  },
  listWebhookDeliveries: {
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    tag: 'Webhooks',
    scope: 'manage',
    summary: "List a webhook's delivery attempts",
    query: attemptListQuerySchema,
    response: {
      name: 'AttemptPage',
      schema: cursorPageSchema(attemptSummarySchema),
      status: 200,
      description: 'A page of attempt records.',
    },
    errors: [404, 422],
  },
  showWebhookDelivery: {
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}',
    operationId: 'showWebhookDelivery',
    tag: 'Webhooks',
    scope: 'manage',
    summary: 'Show one delivery attempt',
    response: {
      name: 'AttemptDetail',
      schema: attemptDetailSchema,
      status: 200,
      description: 'The attempt with what was sent and received.',
    },
    errors: [404],
  },
  retryWebhookDelivery: {
    method: 'post',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/retry',
    operationId: 'retryWebhookDelivery',
    tag: 'Webhooks',
    scope: 'manage',
    summary: 'Retry a delivery now',
    description:
      "Sends the delivery's original payload to the webhook again now, as its next attempt; when that attempt fails, " +
      'the automatic retries continue on the schedule from its number. A delivery that failed for good is replayed ' +
      '(a new delivery linked by `replay_of`, attempt 1). 409 when the webhook is disabled, the delivery succeeded or ' +
      'was cancelled, or an attempt or another retry is in progress.',
    response: {
      name: 'ManualRetryStarted',
      schema: manualRetryResponseSchema,
      status: 202,
      description: 'Accepted by the delivery: the attempt is being sent.',
    },
    errors: [404, 409],
  },
} satisfies Record<string, ApiOperation>;
