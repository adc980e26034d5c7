import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** The spec asks for at least 32; 256 bits also matches the strength of HMAC-SHA256. */
const SECRET_RANDOM_BYTES = 32;

/**
 * The `v1` signature of one attempt: hex HMAC-SHA256 keyed with the whole secret string (its `whsec_` prefix
 * included, as Lettermint does) over `"<t>." + body`.
 *
 * `body` may also be raw bytes so a receiver can verify exactly what arrived on the wire without a decode and
 * re-encode round trip.
 */
export function computeSignature(secret: string, timestampSeconds: number, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/**
 * The `X-Lettermint-Signature` header value: `t=<t>,v1=<hex>[,v1=<hex>...]`, one `v1` per secret in the given
 * order. Several secrets are how a rotation grace period works: receivers still holding the old secret keep
 * verifying while they switch over.
 */
export function buildSignatureHeader(secrets: readonly string[], timestampSeconds: number, body: string): string {
  if (secrets.length === 0) {
    // A header without any v1 would be rejected by every receiver; that is a bug in the caller, not data.
    throw new RangeError('buildSignatureHeader needs at least one secret');
  }
  const signatures = secrets.map((secret) => `v1=${computeSignature(secret, timestampSeconds, body)}`);
  return [`t=${timestampSeconds}`, ...signatures].join(',');
}

/**
 * A fresh webhook secret: `whsec_` + standard padded base64 of 32 random bytes, 50 characters in all. As a string it
 * is a Lettermint key; its base64 part decodes to the Standard Webhooks key. Secrets made before this format
 * (base64url, no padding) keep working as Lettermint keys.
 */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_RANDOM_BYTES).toString('base64');
}
