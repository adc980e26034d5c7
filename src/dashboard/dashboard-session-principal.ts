import type { Request } from 'express';
import { ForbiddenError } from '../errors/forbidden-error';
import type { DashboardSessionStore } from '../store/dashboard-session-store';
import type { PortalSessionStore } from '../store/portal-session-store';
import type { Principal } from '../store/team-store';
import { isValidCsrfToken } from './csrf-token';
import { PORTAL_COOKIE, readSessionCookie } from './session-cookie';

/** The header in which the dashboard sends its session's CSRF token with every unsafe request. */
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves a `/v1` request that carries the dashboard's session cookie instead of a Bearer token, so the screens
 * call the same endpoints as any client. A cookie travels with requests the page did not mean to make, so a
 * request that can change something must also prove it came from the page: the CSRF token, or 403.
 * A portal session's cookie wins over an operator's: a browser that opened a portal link acts with the least of
 * its rights until it signs out of the portal.
 */
export function dashboardSessionPrincipal(sessions: DashboardSessionStore, portals: PortalSessionStore) {
  return async (req: Request): Promise<Principal | undefined> => {
    const portalId = readSessionCookie(req, PORTAL_COOKIE);
    const sessionId = portalId ?? readSessionCookie(req);
    if (!sessionId) return undefined;
    if (!SAFE_METHODS.has(req.method) && !isValidCsrfToken(sessionId, req.get(CSRF_HEADER))) {
      throw new ForbiddenError('Missing or invalid CSRF token.');
    }
    return portalId ? portals.findPrincipal(portalId) : sessions.findPrincipal(sessionId);
  };
}
