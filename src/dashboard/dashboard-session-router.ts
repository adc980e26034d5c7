import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AuthFailureLimiter } from '../api/auth-failure-limiter';
import { parseInput } from '../api/parse-input';
import { ForbiddenError } from '../errors/forbidden-error';
import { NotFoundError } from '../errors/not-found-error';
import { UnauthorizedError } from '../errors/unauthorized-error';
import { ValidationError } from '../errors/validation-error';
import { SESSION_LIFETIME_SECONDS, type DashboardSessionStore } from '../store/dashboard-session-store';
import type { PortalSessionStore } from '../store/portal-session-store';
import type { PortalScope, TeamStore } from '../store/team-store';
import { csrfTokenFor, isValidCsrfToken } from './csrf-token';
import { CSRF_HEADER } from './dashboard-session-principal';
import { PORTAL_COOKIE, portalCookieHeader, readSessionCookie, sessionCookieHeader } from './session-cookie';

const signInSchema = z.object({ token: z.string().trim().min(1).max(512) }).strict();
const portalLinkSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) }).strict();

export interface DashboardSessionRouterDependencies {
  teams: TeamStore;
  sessions: DashboardSessionStore;
  portals: PortalSessionStore;
  /** Mark the cookie `Secure` even on a plain-http request (the operator knows a proxy speaks https). */
  cookieSecure: boolean;
  publicBaseUrl: string | undefined;
  /** A sign-in with an unknown token is a failed authentication like any other. */
  authFailures?: AuthFailureLimiter;
}

/**
 * Sign-in and sign-out: `POST /dashboard/api/session {token}` trades an API token for a session cookie,
 * `GET` tells the page who it is and its CSRF token, `DELETE` signs out. The token itself never reaches the page
 * again: it is not in storage, a URL or a cookie.
 */
export function dashboardSessionRouter(deps: DashboardSessionRouterDependencies): Router {
  const router = Router();
  const secure = (req: Request) => deps.cookieSecure || req.secure || !!deps.publicBaseUrl?.startsWith('https:');

  router.get('/session', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const portalId = readSessionCookie(req, PORTAL_COOKIE);
    if (portalId) {
      const principal = await deps.portals.findPrincipal(portalId);
      if (!principal?.portal) throw new UnauthorizedError('This portal session has ended.');
      res.json({ data: portalSessionAnswer(principal.portal, portalId) });
      return;
    }
    const sessionId = readSessionCookie(req);
    const principal = sessionId ? await deps.sessions.findPrincipal(sessionId) : undefined;
    if (!sessionId || !principal) throw new UnauthorizedError('Not signed in.');
    res.json({ data: { kind: 'operator', scopes: principal.scopes, csrf_token: csrfTokenFor(sessionId) } });
  });

  const checkAuthFailures: RequestHandler = (req, _res, next) => {
    deps.authFailures?.check(req);
    next();
  };

  router.post('/session', checkAuthFailures, express.json({ limit: '16kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    assertSameOrigin(req, deps.publicBaseUrl);
    // A cross-site HTML form cannot send JSON: with the origin check, nobody can sign a browser into their team.
    if (!req.is('application/json')) throw ValidationError.field('token', 'Send the token as JSON: {"token": "…"}.');
    const { token } = parseInput(signInSchema, req.body ?? {});
    const principal = await deps.teams.authenticate(token);
    if (!principal) {
      deps.authFailures?.fail(req);
      throw new UnauthorizedError('Unknown token.');
    }
    if (!principal.scopes.includes('manage')) {
      throw new ForbiddenError('The dashboard needs a token with the "manage" scope.');
    }
    const { sessionId } = await deps.sessions.create(principal.tokenId);
    res.set(
      'Set-Cookie',
      sessionCookieHeader(sessionId, { secure: secure(req), maxAgeSeconds: SESSION_LIFETIME_SECONDS }),
    );
    res.status(201).json({
      data: { kind: 'operator', scopes: principal.scopes, csrf_token: csrfTokenFor(sessionId) },
      message: 'Signed in.',
    });
  });

  // A portal link, once: the page found the token in its address's fragment and posts it here for the cookie.
  router.post('/portal-session', checkAuthFailures, express.json({ limit: '4kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    assertSameOrigin(req, deps.publicBaseUrl);
    if (!req.is('application/json')) throw ValidationError.field('token', 'Send the token as JSON: {"token": "…"}.');
    const { token } = parseInput(portalLinkSchema, req.body ?? {});
    const outcome = await deps.portals.redeem(token);
    if (outcome.kind !== 'redeemed') {
      if (outcome.kind === 'unknown') deps.authFailures?.fail(req);
      throw new UnauthorizedError(REFUSED_LINK[outcome.kind]);
    }
    const { session, sessionId } = outcome;
    const maxAgeSeconds = Math.max(1, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
    res.set('Set-Cookie', portalCookieHeader(sessionId, { maxAgeSeconds }));
    res.status(201).json({
      data: portalSessionAnswer(
        { portalSessionId: session.id, projectId: session.projectId, routeId: session.routeId },
        sessionId,
      ),
      message: 'Portal opened.',
    });
  });

  router.delete('/session', async (req, res) => {
    const portalId = readSessionCookie(req, PORTAL_COOKIE);
    const sessionId = portalId ?? readSessionCookie(req);
    if (sessionId) {
      if (!isValidCsrfToken(sessionId, req.get(CSRF_HEADER)))
        throw new ForbiddenError('Missing or invalid CSRF token.');
      await (portalId ? deps.portals.end(portalId) : deps.sessions.delete(sessionId));
    }
    if (portalId) {
      res.set('Set-Cookie', portalCookieHeader('', { maxAgeSeconds: 0 }));
      res.json({ message: 'Signed out.' });
      return;
    }
    res.set('Set-Cookie', sessionCookieHeader('', { secure: secure(req), maxAgeSeconds: 0 }));
    res.json({ message: 'Signed out.' });
  });

  router.use(() => {
    throw new NotFoundError();
  });
  return router;
}

const REFUSED_LINK = {
  used: 'This portal link has already been used. Ask for a new one.',
  expired: 'This portal link has expired. Ask for a new one.',
  unknown: 'This portal link is not valid.',
} as const;

/** What the page needs to know of a portal session: where it may go, and its CSRF token. */
function portalSessionAnswer(scope: PortalScope, sessionId: string) {
  return {
    kind: 'portal',
    scopes: [],
    project_id: scope.projectId,
    route_id: scope.routeId,
    csrf_token: csrfTokenFor(sessionId),
  };
}

/** Browsers send `Origin` with every POST; one from another origin is a page elsewhere posting here. */
function assertSameOrigin(req: Request, publicBaseUrl: string | undefined): void {
  const origin = req.get('origin');
  if (origin === undefined) return;
  const own = new Set([`${req.protocol}://${req.get('host')}`]);
  if (publicBaseUrl) own.add(new URL(publicBaseUrl).origin);
  if (!own.has(origin)) throw new ForbiddenError('Sign in from the dashboard itself.');
}
