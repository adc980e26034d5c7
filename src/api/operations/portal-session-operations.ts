import {
  portalSessionCreatedSchema,
  portalSessionCreateSchema,
  portalSessionRevokedSchema,
} from '../schemas/portal-session-schemas';
import type { ApiOperation } from './api-operation';

/** Ours: a one-time link that opens the dashboard for a platform's customer on one project or route. */
export const portalSessionOperations = {
  createPortalSession: {
    method: 'post',
    path: '/v1/portal-sessions',
    operationId: 'createPortalSession',
    tag: 'Portal sessions',
    scope: 'manage',
    summary: 'Create a portal link',
    description:
      "Answers a one-time `url` opening the dashboard on a project or a route (in a tab, or in an iframe of an origin listed in `DASHBOARD_FRAME_ANCESTORS`). Opened once, it becomes a session cookie; a second use is refused. The session sees and changes only that scope's webhooks and deliveries, the API refusing the rest, and ends at `expires_at`, when revoked, or when the token that created it is revoked.",
    body: { name: 'PortalSessionCreate', schema: portalSessionCreateSchema, required: true },
    response: {
      name: 'PortalSessionCreated',
      schema: portalSessionCreatedSchema,
      status: 201,
      description: 'Created.',
    },
    errors: [422],
  },
  revokePortalSession: {
    method: 'delete',
    path: '/v1/portal-sessions/{id}',
    operationId: 'revokePortalSession',
    tag: 'Portal sessions',
    scope: 'manage',
    summary: 'Revoke a portal session',
    description: 'Its link and its session are refused from the next request on. Revoking it again changes nothing.',
    response: {
      name: 'PortalSessionRevoked',
      schema: portalSessionRevokedSchema,
      status: 200,
      description: 'Revoked.',
    },
    errors: [404],
  },
} satisfies Record<string, ApiOperation>;
