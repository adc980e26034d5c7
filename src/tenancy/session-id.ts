import { randomBytes } from 'node:crypto';
import { hashApiToken } from './api-token';

/** 256 random bits: the cookie's value, which only the browser holds. */
export function generateSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the database keeps of a session id. The same SHA-256 as API tokens, for the same reason: the id is random,
 * so there is no dictionary to resist, and a lookup stays one index probe.
 */
export function hashSessionId(sessionId: string): string {
  return hashApiToken(sessionId);
}
