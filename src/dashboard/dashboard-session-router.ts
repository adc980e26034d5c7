import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { parseInput } from '../api/parse-input';
import { ForbiddenError } from '../errors/forbidden-error';
import { NotFoundError } from '../errors/not-found-error';
import { UnauthorizedError } from '../errors/unauthorized-error';
import { ValidationError } from '../errors/validation-error';
import { SESSION_LIFETIME_SECONDS, type DashboardSessionStore } from '../store/dashboard-session-store';
import type { TeamStore } from '../store/team-store';
import { csrfTokenFor, isValidCsrfToken } from './csrf-token';
import { CSRF_HEADER } from './dashboard-session-principal';
import { readSessionCookie, sessionCookieHeader } from './session-cookie';

const signInSchema = z.object({ token: z.string().trim().min(1).max(512) }).strict();

export interface DashboardSessionRouterDependencies {
  teams: TeamStore;
  sessions: DashboardSessionStore;
  /** Mark the cookie `Secure` even on a plain-http request (the operator knows a proxy speaks https). */
  cookieSecure: boolean;
  publicBaseUrl: string | undefined;
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
    const sessionId = readSessionCookie(req);
    const principal = sessionId ? await deps.sessions.findPrincipal(sessionId) : undefined;
    if (!sessionId || !principal) throw new UnauthorizedError('Not signed in.');
    res.json({ data: { kind: 'operator', scopes: principal.scopes, csrf_token: csrfTokenFor(sessionId) } });
  });

  router.post('/session', express.json({ limit: '16kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    assertSameOrigin(req, deps.publicBaseUrl);
    // A cross-site HTML form cannot send JSON: with the origin check, nobody can sign a browser into their team.
    if (!req.is('application/json')) throw ValidationError.field('token', 'Send the token as JSON: {"token": "…"}.');
    const { token } = parseInput(signInSchema, req.body ?? {});
    const principal = await deps.teams.authenticate(token);
    if (!principal) throw new UnauthorizedError('Unknown token.');
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

  router.delete('/session', async (req, res) => {
    const sessionId = readSessionCookie(req);
    if (sessionId) {
      if (!isValidCsrfToken(sessionId, req.get(CSRF_HEADER)))
        throw new ForbiddenError('Missing or invalid CSRF token.');
      await deps.sessions.delete(sessionId);
    }
    res.set('Set-Cookie', sessionCookieHeader('', { secure: secure(req), maxAgeSeconds: 0 }));
    res.json({ message: 'Signed out.' });
  });

  router.use(() => {
    throw new NotFoundError();
  });
  return router;
}

/** Browsers send `Origin` with every POST; one from another origin is a page elsewhere posting here. */
function assertSameOrigin(req: Request, publicBaseUrl: string | undefined): void {
  const origin = req.get('origin');
  if (origin === undefined) return;
  const own = new Set([`${req.protocol}://${req.get('host')}`]);
  if (publicBaseUrl) own.add(new URL(publicBaseUrl).origin);
  if (!own.has(origin)) throw new ForbiddenError('Sign in from the dashboard itself.');
}
