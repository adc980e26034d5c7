import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The Standard Webhooks key of a secret: the base64-decoded bytes after `whsec_` (standardwebhooks.com v1.0.0).
 * Answers undefined for a secret that is not `whsec_` + standard base64 (secrets made before that format), which
 * therefore cannot sign in this scheme.
 */
export function standardWebhooksKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (encoded.length % 4 !== 0 || !STANDARD_BASE64.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  // Buffer.from ignores what it cannot decode; only an exact round trip proves the text was the key's base64.
  if (key.length === 0 || key.toString('base64') !== encoded) return undefined;
  return key;
}

/** Whether a secret can sign in Standard Webhooks mode. */
export function isStandardWebhooksSecret(secret: string): boolean {
  return standardWebhooksKey(secret) !== undefined;
}

/** One Standard Webhooks signature: base64 HMAC-SHA256, keyed with the decoded secret, of `"<id>.<t>.<body>"`. */
export function computeStandardWebhooksSignature(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string | Uint8Array,
): string {
  const key = standardWebhooksKey(secret);
  if (!key) {
    // Stored secrets are checked when the mode is chosen; reaching this is a bug in the caller, not data.
    throw new RangeError('a Standard Webhooks secret must be whsec_ followed by standard base64');
  }
  return createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.`).update(body).digest('base64');
}

/**
 * The `webhook-signature` header value: `v1,<base64>`, one per secret in the given order and space-separated, as
 * during a rotation grace period.
 */
export function buildStandardWebhooksSignatureHeader(
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  if (secrets.length === 0) throw new RangeError('buildStandardWebhooksSignatureHeader needs at least one secret');
  return secrets
    .map((secret) => `v1,${computeStandardWebhooksSignature(secret, messageId, timestampSeconds, body)}`)
    .join(' ');
}
