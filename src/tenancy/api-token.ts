import { createHash, randomBytes } from 'node:crypto';

/** What a token may do: `manage` is the whole API, `trigger` only `POST /v1/events` (for internal services). */
export const TOKEN_SCOPES = ['manage', 'trigger'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** A new token's clear text: shown once, stored only as its hash. */
export function generateApiToken(): string {
  return `th_${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 is enough for 256-bit random tokens: no dictionary to resist, and lookups stay one index probe. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
