import { z } from 'zod';
import type { SortableColumns } from '../page-request';
import { TOKEN_SCOPES } from '../../tenancy/api-token';
import { dataWithMessage, nameField, timestampField } from './common-fields';
import { pageQuerySchema } from './page-schemas';

export const tokenCreateSchema = z
  .object({
    name: nameField,
    scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).meta({
      description: '`manage` (the whole API, posting events included) and/or `trigger` (only `POST /v1/events*`).',
    }),
  })
  .strict();

export const tokenListQuerySchema = pageQuerySchema;

export const tokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(z.enum(TOKEN_SCOPES)),
    created_at: timestampField,
    last_used_at: timestampField.nullable().meta({ description: 'Kept to the minute; null until first used.' }),
    revoked_at: timestampField.nullable().meta({ description: 'Set once revoked: the token is refused from then on.' }),
  })
  .strict();

export const tokenWithSecretSchema = tokenSchema
  .extend({ token: z.string().meta({ description: 'The token itself: shown only in this answer, stored as a hash.' }) })
  .strict();

export const tokenCreatedSchema = dataWithMessage(tokenWithSecretSchema);
export const tokenRevokedSchema = dataWithMessage(tokenSchema);

/** What the list's `sort` may name, and the column each key stands for. */
export const TOKEN_SORT_COLUMNS: SortableColumns = { created_at: { column: 't.created_at', kind: 'timestamp' } };
