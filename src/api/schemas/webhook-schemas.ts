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
  return (
    z
      .object({
        route_id: z.uuid().optional().meta({ description: 'The route; or give it as `route_ids` (one element).' }),
        route_ids: z
          .array(z.uuid())
          .optional()
          .meta({ description: "Lettermint's newer spelling of `route_id`: exactly one route (the webhook's scope)." }),
        scope: z.enum(WEBHOOK_SCOPES).optional().meta({
          description: 'Only `route`: team- and project-scoped webhooks are not supported.',
        }),
        project_ids: z.array(z.uuid()).optional().meta({ description: "If given, must contain the route's project." }),
        delivery_mode_filter: z.enum(DELIVERY_MODE_FILTERS).nullish().meta({
          description: 'Accepted for Lettermint compatibility and not stored: Tidehook has no sandbox mode.',
        }),
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
      // Runs even when other fields failed (`when`), so a missing route is reported with them; the value may then be
      // anything, hence the checks on each field's type.
      .superRefine(
        (input, ctx) => {
          const value = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
          const routeIds = value.route_ids;
          if (value.scope !== undefined && value.scope !== 'route' && WEBHOOK_SCOPES.includes(value.scope as never)) {
            ctx.addIssue({
              code: 'custom',
              path: ['scope'],
              message: 'Only route-scoped webhooks are supported: team and project scopes are not.',
            });
          }
          if (Array.isArray(routeIds) && routeIds.length !== 1) {
            ctx.addIssue({
              code: 'custom',
              path: ['route_ids'],
              message: 'The route ids field must name exactly one route.',
            });
          } else if (Array.isArray(routeIds) && value.route_id !== undefined && routeIds[0] !== value.route_id) {
            ctx.addIssue({ code: 'custom', path: ['route_ids'], message: 'The route ids field must match route_id.' });
          }
          if (value.route_id === undefined && routeIds === undefined) {
            ctx.addIssue({ code: 'custom', path: ['route_id'], message: 'The route id field is required.' });
          }
        },
        { when: () => true },
      )
      .transform(({ route_ids, route_id, ...input }) => ({ ...input, route_id: (route_id ?? route_ids?.[0])! }))
  );
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

export const WEBHOOK_SCOPES = ['team', 'project', 'route'] as const;
export const DELIVERY_MODE_FILTERS = ['live', 'sandbox', 'both'] as const;

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
    has_basic_auth: z.boolean(),
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
