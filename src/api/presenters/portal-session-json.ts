import type { PortalSession } from '../../store/portal-session-store';

export function portalSessionJson(session: PortalSession) {
  return {
    id: session.id,
    project_id: session.projectId,
    route_id: session.routeId,
    created_at: session.createdAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    redeemed_at: session.redeemedAt?.toISOString() ?? null,
    revoked_at: session.revokedAt?.toISOString() ?? null,
  };
}
