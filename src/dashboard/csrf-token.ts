import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The CSRF token of a session, derived from its id rather than stored: any API process can check it, and it
 * reveals nothing of the id (an HMAC keyed by the id). The dashboard reads it from `GET /dashboard/api/session`,
 * which only a page of this origin can read, and keeps it in memory; a cross-site form cannot know it.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('tidehook dashboard csrf').digest('base64url');
}

export function isValidCsrfToken(sessionId: string, candidate: string | undefined): boolean {
  if (!candidate) return false;
  const expected = Buffer.from(csrfTokenFor(sessionId));
  const given = Buffer.from(candidate);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
