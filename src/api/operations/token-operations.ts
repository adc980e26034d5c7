import { cursorPageSchema } from '../schemas/page-schemas';
import {
  tokenCreatedSchema,
  tokenCreateSchema,
  tokenListQuerySchema,
  tokenRevokedSchema,
  tokenSchema,
} from '../schemas/token-schemas';
import type { ApiOperation } from './api-operation';

/** Ours, beyond Lettermint: the team's API tokens, listed (never their values), created and revoked. */
export const tokenOperations = {
  listTokens: {
    method: 'get',
    path: '/v1/tokens',
    operationId: 'listTokens',
    tag: 'Tokens',
    scope: 'manage',
    summary: "List the team's API tokens",
    description: 'Revoked tokens are listed too, with `revoked_at`. Neither a token nor its hash is ever shown.',
    query: tokenListQuerySchema,
    response: { name: 'TokenPage', schema: cursorPageSchema(tokenSchema), status: 200, description: 'A page.' },
    errors: [422],
  },
  createToken: {
    method: 'post',
    path: '/v1/tokens',
    operationId: 'createToken',
    tag: 'Tokens',
    scope: 'manage',
    summary: 'Create an API token',
    description: 'The answer holds the token itself, the only time it is shown. `manage` includes `trigger`.',
    body: { name: 'TokenCreate', schema: tokenCreateSchema, required: true },
    response: { name: 'TokenCreated', schema: tokenCreatedSchema, status: 201, description: 'Created.' },
    errors: [422],
  },
  revokeToken: {
    method: 'delete',
    path: '/v1/tokens/{id}',
    operationId: 'revokeToken',
    tag: 'Tokens',
    scope: 'manage',
    summary: 'Revoke an API token',
    description:
      "Refused from the next request on, by every API process, with the dashboard sessions opened with it. A token may revoke itself, but not the team's last live `manage` token (409). Revoking a revoked token changes nothing.",
    response: { name: 'TokenRevoked', schema: tokenRevokedSchema, status: 200, description: 'Revoked.' },
    errors: [404, 409],
  },
} satisfies Record<string, ApiOperation>;
