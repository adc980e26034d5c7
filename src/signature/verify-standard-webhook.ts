import { verificationClock } from './verification-clock';
import { timingSafeEqual } from 'node:crypto';
import { computeStandardWebhooksSignature, isStandardWebhooksSecret } from './standard-webhooks-signature';
import { DEFAULT_TOLERANCE_SECONDS, WebhookVerificationError } from './verify-signature';

/** The three headers of Standard Webhooks mode, as a receiver read them. */
export interface StandardWebhookHeaders {
  /** `webhook-id`: the envelope id, the same on every retry (de-duplicate on it). */
  id: string | undefined;
  /** `webhook-timestamp`: unix seconds. */
  timestamp: string | undefined;
  /** `webhook-signature`: space-separated `v1,<base64>` entries. */
  signature: string | undefined;
}

/** What a receiver passes to check one incoming request in Standard Webhooks mode. */
export interface VerifyStandardWebhookOptions {
  /** The raw request body, exactly as received (before any JSON parsing). */
  payload: string | Buffer;
  headers: StandardWebhookHeaders;
  /** The `whsec_` secret, or several while rotating: a match against any of them is accepted. */
  secret: string | readonly string[];
  /** A finite number ≥ 0, else a `RangeError`. @default 300 */
  toleranceSeconds?: number;
  /** The receiver's clock in unix seconds (finite, else a `RangeError`). @default the current time */
  nowSeconds?: number;
}

/** The same rule as the Lettermint verifier: digits, no sign or leading zero, at most 15 of them. */
const TIMESTAMP_PATTERN = /^(0|[1-9][0-9]{0,14})$/;
/** Standard base64 of an HMAC-SHA256 (32 bytes): 43 characters and one `=`. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{43}=$/;
/** A version tag and its value, as `v1,<base64>`. */
const ENTRY_PATTERN = /^(v[0-9]+[a-z]*),(\S*)$/;

/**
 * Checks the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers of a request sent in Standard
 * Webhooks mode (standardwebhooks.com v1.0.0): the timestamp within tolerance and at least one `v1` matching at
 * least one secret. Throws {@link WebhookVerificationError} with the same codes as `verifyWebhookSignature`.
 */
export function verifyStandardWebhook(options: VerifyStandardWebhookOptions): { id: string; timestamp: number } {
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  if (secrets.length === 0) throw new TypeError('verifyStandardWebhook needs at least one secret');
  for (const secret of secrets) {
    // A secret that is not whsec_ + base64 has no Standard Webhooks key: a receiver configuration mistake.
    if (!isStandardWebhooksSecret(secret)) throw new TypeError('every secret must be whsec_ followed by base64');
  }
  // Checked before the header(s): a bad tolerance or clock must surface on the first request, not accept any age.
  const { tolerance, now } = verificationClock(options, DEFAULT_TOLERANCE_SECONDS);

  const { id, timestamp: timestampText, signature } = options.headers;
  for (const [name, value] of [
    ['webhook-id', id],
    ['webhook-timestamp', timestampText],
    ['webhook-signature', signature],
  ] as const) {
    if (value === undefined || value.trim() === '') {
      throw new WebhookVerificationError('missing_header', `the ${name} header is missing`);
    }
  }
  if (!TIMESTAMP_PATTERN.test(timestampText!)) {
    throw new WebhookVerificationError('malformed_header', 'webhook-timestamp must be unix seconds (digits only)');
  }
  const timestamp = Number(timestampText);
  const received = parseSignatures(signature!);

  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_out_of_tolerance',
      `webhook-timestamp ${timestamp} is more than ${tolerance}s away from now (${now})`,
    );
  }

  const body = typeof options.payload === 'string' ? Buffer.from(options.payload, 'utf8') : options.payload;
  for (const secret of secrets) {
    const expected = Buffer.from(computeStandardWebhooksSignature(secret, id!, timestamp, body), 'base64');
    let matched = false;
    for (const candidate of received) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
    if (matched) return { id: id!, timestamp };
  }
  throw new WebhookVerificationError('signature_mismatch', 'no v1 signature matches the payload and secret');
}

function parseSignatures(value: string): Buffer[] {
  const signatures: Buffer[] = [];
  for (const entry of value.split(' ')) {
    if (entry === '') continue;
    const match = ENTRY_PATTERN.exec(entry);
    if (!match) {
      throw new WebhookVerificationError('malformed_header', `webhook-signature entry "${entry}" is not v<n>,<value>`);
    }
    // Other versions (v1a is asymmetric in the spec) are ignored so senders can add them without breaking receivers.
    if (match[1] !== 'v1') continue;
    // Buffer.from(base64) skips what it cannot decode; the sender only writes 44 characters of standard base64.
    if (!SIGNATURE_PATTERN.test(match[2]!)) {
      throw new WebhookVerificationError('malformed_header', 'every v1 must be the standard base64 of 32 bytes');
    }
    signatures.push(Buffer.from(match[2]!, 'base64'));
  }
  if (signatures.length === 0) {
    throw new WebhookVerificationError('malformed_header', 'webhook-signature needs at least one v1 entry');
  }
  return signatures;
}
