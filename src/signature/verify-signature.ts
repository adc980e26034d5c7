import { verificationClock } from './verification-clock';
import { timingSafeEqual } from 'node:crypto';
import { computeSignature } from './sign-payload';

/** How far a signature timestamp may drift from the receiver's clock, in either direction. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Why a webhook was rejected; stable strings a receiver can branch on or log. */
export type WebhookVerificationErrorCode =
  'missing_header' | 'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch';

/** Thrown by {@link verifyWebhookSignature} when a request must not be trusted. */
export class WebhookVerificationError extends Error {
  readonly code: WebhookVerificationErrorCode;

  constructor(code: WebhookVerificationErrorCode, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.code = code;
  }
}

/** What a receiver passes to check one incoming webhook request. */
export interface VerifyWebhookOptions {
  /** The raw request body, exactly as received (before any JSON parsing). */
  payload: string | Buffer;
  /** The `X-Lettermint-Signature` header value. */
  signatureHeader: string | undefined;
  /** The webhook secret, or several while rotating: a match against any of them is accepted. */
  secret: string | readonly string[];
  /**
   * A finite number ≥ 0; anything else is a configuration mistake and throws a `RangeError` rather than turning the
   * replay check off.
   * @default 300
   */
  toleranceSeconds?: number;
  /** The receiver's clock in unix seconds (finite, else a `RangeError`). @default the current time */
  nowSeconds?: number;
}

/** The envelope every webhook body carries. */
export interface WebhookEvent<T = unknown> {
  /** Unique per event: receivers de-duplicate on it. */
  id: string;
  event: string;
  /** ISO-8601 time the event happened. */
  timestamp: string;
  data: T;
}

interface ParsedSignatureHeader {
  timestamp: number;
  signatures: string[];
}

/**
 * Checks the `X-Lettermint-Signature` header of an incoming webhook: the timestamp must be within tolerance
 * and at least one `v1` must match at least one of the given secrets. Throws {@link WebhookVerificationError}
 * otherwise.
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): { timestamp: number } {
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  if (secrets.length === 0) {
    throw new TypeError('verifyWebhookSignature needs at least one secret');
  }
  // Checked before the header(s): a bad tolerance or clock must surface on the first request, not accept any age.
  const { tolerance, now } = verificationClock(options, DEFAULT_TOLERANCE_SECONDS);
  const header = parseSignatureHeader(options.signatureHeader);

  if (Math.abs(now - header.timestamp) > tolerance) {
    // Checked before the HMAC so a replayed old request is reported as such, not as a bad signature.
    throw new WebhookVerificationError(
      'timestamp_out_of_tolerance',
      `signature timestamp ${header.timestamp} is more than ${tolerance}s away from now (${now})`,
    );
  }

  const body = typeof options.payload === 'string' ? Buffer.from(options.payload, 'utf8') : options.payload;
  const received = header.signatures.map((hex) => Buffer.from(hex, 'hex'));
  for (const secret of secrets) {
    const expected = Buffer.from(computeSignature(secret, header.timestamp, body), 'hex');
    // Compare against every candidate without stopping early, so timing reveals nothing about which matched.
    let matched = false;
    for (const candidate of received) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
        matched = true;
      }
    }
    if (matched) {
      return { timestamp: header.timestamp };
    }
  }
  throw new WebhookVerificationError('signature_mismatch', 'no v1 signature matches the payload and secret');
}

/** Verifies the request like {@link verifyWebhookSignature}, then returns the parsed envelope. */
export function parseWebhookEvent<T = unknown>(options: VerifyWebhookOptions): WebhookEvent<T> {
  verifyWebhookSignature(options);
  const text = typeof options.payload === 'string' ? options.payload : options.payload.toString('utf8');
  // The body is authenticated by now, so its shape is the sender's contract; no schema check here.
  return JSON.parse(text) as WebhookEvent<T>;
}

/** What the sender writes: `Math.floor(Date.now() / 1000)`, at most 15 digits so `Number` keeps it exact. */
const TIMESTAMP_PATTERN = /^(0|[1-9][0-9]{0,14})$/;
/** Hex of an HMAC-SHA256, as `computeSignature` writes it. */
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

function parseSignatureHeader(value: string | undefined): ParsedSignatureHeader {
  if (value === undefined || value.trim() === '') {
    throw new WebhookVerificationError('missing_header', 'the X-Lettermint-Signature header is missing');
  }
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) {
      throw new WebhookVerificationError('malformed_header', `signature header part "${part.trim()}" is not key=value`);
    }
    const key = part.slice(0, separator).trim();
    const item = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !TIMESTAMP_PATTERN.test(item)) {
        throw new WebhookVerificationError(
          'malformed_header',
          'signature header needs exactly one t= of unix seconds (digits, no sign or leading zero)',
        );
      }
      timestamp = Number(item);
    } else if (key === 'v1') {
      // Buffer.from(hex, 'hex') would stop at the first non-hex character and ignore an odd last digit, so
      // `<valid>zzzz` compared equal; the sender only ever writes 64 lowercase hex digits.
      if (!SIGNATURE_PATTERN.test(item)) {
        throw new WebhookVerificationError('malformed_header', 'every v1= must be 64 lowercase hex digits');
      }
      signatures.push(item);
    }
    // Other schemes (a future v2, say) are ignored so senders can add them without breaking receivers.
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookVerificationError('malformed_header', 'signature header needs t= and at least one v1=');
  }
  return { timestamp, signatures };
}
