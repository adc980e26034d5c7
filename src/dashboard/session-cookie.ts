import type { Request } from 'express';

export const SESSION_COOKIE = 'tidehook_session';

/** A portal session's cookie: another name, because it is sent in cross-site iframes and the operator's is not. */
export const PORTAL_COOKIE = 'tidehook_portal';

/** The session id from the `Cookie` header, if there is one (no cookie-parser: these are the only cookies we read). */
export function readSessionCookie(req: Request, cookieName = SESSION_COOKIE): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookieName) {
      const value = rest.join('=');
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * HttpOnly: no script reads it, so an injected script cannot steal it. SameSite=Strict: no other site's page
 * makes the browser send it. Path=/: the same cookie opens `/v1` for the dashboard's requests.
 */
export function sessionCookieHeader(value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'HttpOnly',
    'SameSite=Strict',
    'Path=/',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * A portal's cookie must reach the API from a cross-site iframe, where SameSite=Strict or Lax cookies are not
 * sent: so SameSite=None, which browsers accept only with Secure (http://localhost and 127.0.0.1 count as
 * secure). Partitioned (CHIPS): kept apart per top-level site, so the session opened inside one platform's iframe
 * exists only there, and still works where third-party cookies are otherwise blocked. A cookie that another site's
 * page can make the browser send needs CSRF protection: every unsafe `/v1` request carries the session's token,
 * as the operator's do (see ADR 15).
 */
export function portalCookieHeader(value: string, options: { maxAgeSeconds: number }): string {
  return [
    `${PORTAL_COOKIE}=${value}`,
    'HttpOnly',
    'SameSite=None',
    'Secure',
    'Partitioned',
    'Path=/',
    `Max-Age=${options.maxAgeSeconds}`,
  ].join('; ');
}
