import { z } from 'zod';
import type { SortableColumns } from '../page-request';
import { EVENT_TYPES } from '../../events/event-types';
import { pageQuerySchema, sortField, withBareCursor } from './page-schemas';
import { checkWebhookUrlSyntax, MAX_WEBHOOK_URL_LENGTH, type TargetPolicy } from '../../targets/target-policy';
import { nameField, timestampField } from './common-fields';
import { DEFAULT_SIGNATURE_SCHEME, SIGNATURE_SCHEMES } from '../../signature/signature-scheme';
import { DELIVERY_MODE_FILTERS } from '../../store/delivery-mode-filter';
import { basicAuthField } from './basic-auth-field';
import { checkScopeFields, routeNamedBy, WEBHOOK_SCOPES, webhookScopeFields } from './webhook-scope-fields';

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

/** Lettermint's delivery-mode filter; what it means where events have no sandbox mode. */
const deliveryModeFilterField = z
  .enum(DELIVERY_MODE_FILTERS)
  .nullish()
  .meta({
    description:
      'Stored and echoed (null until set). Tidehook has no sandbox projects, so every event is live: `live`, `both` ' +
      'and null receive every subscribed event, `sandbox` receives none. Like `events`, it decides which events fan ' +
      'out to the webhook; a test, a manual retry or a replay is sent regardless. Null on update clears it.',
  });

/** Built per policy, because which URLs are allowed is the operator's choice (`ALLOW_HTTP_TARGETS`, ...). */
export function webhookCreateSchema(targets: TargetPolicy) {
  return z
    .object({
      ...webhookScopeFields,
      delivery_mode_filter: deliveryModeFilterField,
      basic_auth: basicAuthField,
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
    .strict()
    .superRefine((input, ctx) => checkScopeFields(input, ctx, { routeRequired: true }), { when: () => true })
    .transform(({ route_ids, route_id, ...input }) => ({ ...input, route_id: routeNamedBy({ route_id, route_ids })! }));
}

/**
 * The scope fields are taken as Lettermint's SDKs send them on update, and must describe the webhook as it is: a
 * webhook cannot move to another route (the router checks them against its route).
 */
export function webhookUpdateSchema(targets: TargetPolicy) {
  return z
    .object({
      ...webhookScopeFields,
      delivery_mode_filter: deliveryModeFilterField,
      basic_auth: basicAuthField,
      name: nameField.optional(),
      url: urlField(targets).optional(),
      events: eventsField.optional(),
      enabled: z.boolean().optional(),
      include_machine_events: z.boolean().optional(),
      signature_scheme: signatureSchemeField.optional(),
    })
    .strict()
    .superRefine((input, ctx) => checkScopeFields(input, ctx, { routeRequired: false }), { when: () => true });
}

const booleanText = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const webhookListQuerySchema = withBareCursor(
  pageQuerySchema.extend({
    sort: sortField(['name', 'url', 'created_at']),
    filter: z
      .object({
        route_id: z.uuid().optional(),
        project: z.uuid().optional().meta({ description: 'Webhooks whose route belongs to this project.' }),
        scope: z
          .enum(WEBHOOK_SCOPES)
          .optional()
          .meta({ description: 'Every Tidehook webhook is route-scoped: `team` and `project` match none.' }),
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
    scope: z.literal('route'),
    route_ids: z.array(z.uuid()).length(1),
    project_ids: z.array(z.uuid()).length(1),
    name: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    enabled: z.boolean(),
    has_basic_auth: z.boolean().meta({ description: 'Whether attempts carry `Authorization: Basic`.' }),
    delivery_mode_filter: z.enum(DELIVERY_MODE_FILTERS).nullable(),
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
