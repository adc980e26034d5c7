import type { Request } from 'express';

export const SESSION_COOKIE = 'tidehook_session';

/** The session id from the `Cookie` header, if there is one (no cookie-parser: this is the only cookie we read). */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
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
