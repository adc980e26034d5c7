import { z } from 'zod';
import { dataWithMessage, timestampField } from './common-fields';

export const PORTAL_LIFETIME_SECONDS = { min: 60, max: 86_400, default: 3_600 } as const;

export const portalSessionCreateSchema = z
  .object({
    project_id: z.uuid().optional().meta({ description: 'The project the portal opens on: all of its routes.' }),
    route_id: z.uuid().optional().meta({ description: 'Or one route: only its webhooks.' }),
    lifetime_seconds: z
      .number()
      .int()
      .min(PORTAL_LIFETIME_SECONDS.min)
      .max(PORTAL_LIFETIME_SECONDS.max)
      .default(PORTAL_LIFETIME_SECONDS.default)
      .meta({ description: 'How long the link and the session it opens last, from now. Default 3600.' }),
  })
  .strict()
  .refine((input) => (input.project_id === undefined) !== (input.route_id === undefined), {
    message: 'Give either a project_id or a route_id.',
    path: ['project_id'],
  });

export const portalSessionSchema = z
  .object({
    id: z.uuid(),
    project_id: z.uuid(),
    route_id: z.uuid().nullable().meta({ description: 'Null: the whole project.' }),
    created_at: timestampField,
    expires_at: timestampField,
    redeemed_at: timestampField.nullable().meta({ description: 'When the link was used; it opens nothing again.' }),
    revoked_at: timestampField.nullable(),
  })
  .strict();

export const portalSessionWithUrlSchema = portalSessionSchema
  .extend({
    url: z.url().meta({
      description:
        'The one-time link: opened once (in a tab or an iframe) it becomes a session cookie, then opens nothing. Shown only in this answer.',
    }),
  })
  .strict();

export const portalSessionCreatedSchema = dataWithMessage(portalSessionWithUrlSchema);
export const portalSessionRevokedSchema = dataWithMessage(portalSessionSchema);
