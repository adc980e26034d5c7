import { z } from 'zod';
import type { SortableColumns } from '../page-request';
import { EVENT_TYPES } from '../../events/event-types';
import { pageQuerySchema, sortField, withBareCursor } from './page-schemas';
import { checkWebhookUrlSyntax, MAX_WEBHOOK_URL_LENGTH, type TargetPolicy } from '../../targets/target-policy';
import { nameField, timestampField } from './common-fields';
import { DEFAULT_SIGNATURE_SCHEME, SIGNATURE_SCHEMES } from '../../signature/signature-scheme';

const signatureSchemeField = z.enum(SIGNATURE_SCHEMES).meta({
  description:
    '`standard_webhooks` also sends `webhook-id`, `webhook-timestamp` and `webhook-signature` (standardwebhooks.com ' +
    'v1.0.0) beside `X-Lettermint-Signature`. A webhook whose secret predates the `whsec_` + base64 format must ' +
    'regenerate it first.',
});

export const MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 3600;

/** The URL rule lives in `checkWebhookUrlSyntax` (src/targets); the schema only hands the string to it. */
function urlField(targets: TargetPolicy) {
  return z
    .string()
    .trim()
    .min(1)
    .superRefine((url, ctx) => {
      const message = checkWebhookUrlSyntax(url, targets);
      if (message) ctx.addIssue({ code: 'custom', message });
    })
    .meta({
      format: 'uri',
      maxLength: MAX_WEBHOOK_URL_LENGTH,
      description: '`https://` unless the operator allows `http://` and private targets.',
    });
}

/** At least one known event type; a type listed twice is kept once. */
const eventsField = z
  .array(z.enum(EVENT_TYPES))
  .min(1)
  .transform((events) => [...new Set(events)]);

/** A create flag that Lettermint's SDKs may send as `null` (Python `None`): null or absent gives the default. */
function nullMeansDefault(fallback: boolean) {
  return z
    .boolean()
    .nullish()
    .transform((value) => value ?? fallback);
}

/** Built per policy, because which URLs are allowed is the operator's choice (`ALLOW_HTTP_TARGETS`, ...). */
export function webhookCreateSchema(targets: TargetPolicy) {
  return z
    .object({
      route_id: z.uuid(),
      name: nameField,
      url: urlField(targets),
      events: eventsField,
      enabled: nullMeansDefault(true),
      include_machine_events: nullMeansDefault(false).meta({
        description:
          'Also deliver `message.opened`/`message.clicked` caused by bots, privacy proxies and scanners. ' +
          'Null means the default.',
      }),
      signature_scheme: signatureSchemeField.default(DEFAULT_SIGNATURE_SCHEME),
    })
    .strict();
}

export function webhookUpdateSchema(targets: TargetPolicy) {
  return z
    .object({
      name: nameField.optional(),
      url: urlField(targets).optional(),
      events: eventsField.optional(),
      enabled: z.boolean().optional(),
      include_machine_events: z.boolean().optional(),
      signature_scheme: signatureSchemeField.optional(),
    })
    .strict();
}

const booleanText = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const webhookListQuerySchema = withBareCursor(
  pageQuerySchema.extend({
    sort: sortField(['name', 'url', 'created_at']),
    filter: z
      .object({
        route_id: z.uuid().optional(),
        enabled: booleanText.optional(),
        event: z.enum(EVENT_TYPES).optional().meta({ description: 'Webhooks subscribed to this event type.' }),
        search: z
          .string()
          .trim()
          .min(1)
          .max(255)
          .optional()
          .meta({ description: 'Part of the name or URL, case-insensitive.' }),
      })
      .strict()
      .default({}),
  }),
);

export const regenerateSecretSchema = z
  .object({
    grace_period_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_PERIOD_SECONDS)
      .default(0)
      .meta({ description: 'For this long the old secret keeps signing too (a second `v1=`, before the new one).' }),
  })
  .strict();

/** The list item: no secret and no `include_machine_events`, as Lettermint lists them. */
export const webhookListItemSchema = z
  .object({
    id: z.uuid(),
    route_id: z.uuid(),
    name: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    enabled: z.boolean(),
    last_called_at: timestampField.nullable(),
    created_at: timestampField,
    updated_at: timestampField,
  })
  .strict();

export const webhookSchema = webhookListItemSchema.extend({
  include_machine_events: z.boolean(),
  signature_scheme: z.enum(SIGNATURE_SCHEMES),
});

/** Only the answers of create and regenerate-secret carry the secret. */
export const webhookWithSecretSchema = webhookSchema.extend({ secret: z.string().startsWith('whsec_') });

export const testDeliveryResponseSchema = z
  .object({
    message: z.string(),
    delivery_id: z.uuid().meta({ description: 'The attempt record: GET /v1/webhooks/{id}/deliveries/{delivery_id}.' }),
  })
  .strict();

/** What the list's `sort` may name, and the column each key stands for. */
export const WEBHOOK_SORT_COLUMNS: SortableColumns = {
  name: { column: 'w.name', kind: 'text' },
  url: { column: 'w.url', kind: 'text' },
  created_at: { column: 'w.created_at', kind: 'timestamp' },
};
