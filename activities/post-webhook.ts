import { Agent, request, type Dispatcher } from 'undici';
import { withResolutionTeam } from '../src/targets/resolution-team';
import type { AttemptResult } from '../workflows/attempt-result';
import { classifyHttpStatus } from './classify-http-status';

/** An attempt that has no complete response within 30 s (connect included) is a `timeout`, as Lettermint's. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
/** The attempt record keeps the first 64 KiB of the response body. */
export const MAX_RESPONSE_BYTES = 65_536;

/** One signed POST, ready to send: the body and headers are recorded exactly as given. */
export interface WebhookRequest {
  url: string;
  /** Whose attempt this is: a guarded dispatcher's DNS lookups for it count against this team's budget. */
  teamId?: string;
  body: string;
  headers: Record<string, string>;
}

/** Tuning for {@link createWebhookPoster}. */
export interface WebhookPosterOptions {
  /** One deadline for the whole exchange: connect, response head and body. @default 30_000 */
  timeoutMs?: number;
  /** Body bytes kept; the rest is not read at all. @default 65_536 */
  maxResponseBytes?: number;
  /**
   * The undici dispatcher to send through, so an SSRF guard can pin resolved addresses.
   * @default one keep-alive Agent per poster
   */
  dispatcher?: Dispatcher;
}

/** Sends one attempt. Never rejects because of the receiver or the network: every outcome is an AttemptResult. */
export type WebhookPoster = (request: WebhookRequest) => Promise<AttemptResult>;

/** What arrived before the exchange ended, kept so a timeout or broken stream still records it. */
interface PartialResponse {
  statusCode: number | null;
  headers: Record<string, string>;
  bodyChunks: Buffer[] | null;
  bodyTruncated: boolean;
}

interface PosterSettings {
  timeoutMs: number;
  maxResponseBytes: number;
  dispatcher: Dispatcher;
}

class DeadlineExceeded extends Error {
  constructor(timeoutMs: number) {
    super(`no complete response within ${formatDuration(timeoutMs)}`);
    this.name = 'DeadlineExceeded';
  }
}

/** Builds a poster with its own connection pool; hold on to it rather than creating one per attempt. */
export function createWebhookPoster(options: WebhookPosterOptions = {}): WebhookPoster {
  const timeoutMs = options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const settings: PosterSettings = {
    timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    dispatcher: options.dispatcher ?? createKeepAliveAgent(timeoutMs),
  };
  return (webhookRequest) => postWebhook(webhookRequest, settings);
}

function createKeepAliveAgent(timeoutMs: number): Agent {
  // undici's own timers are only a backstop: they sit past our deadline so the outcome is always
  // reported as our single overall timeout rather than as whichever phase happened to be slow.
  const backstopMs = timeoutMs + 5_000;
  return new Agent({
    // Below the 5 s idle timeout common in Node and nginx receivers, so we drop an idle socket before the
    // receiver does; reusing one the receiver is closing would fail a POST that undici must not retry.
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
    // Per origin: one slow receiver cannot hog unbounded sockets, and bursts to one receiver still overlap.
    connections: 32,
    connect: { timeout: backstopMs },
    headersTimeout: backstopMs,
    bodyTimeout: backstopMs,
  });
}

async function postWebhook(webhook: WebhookRequest, settings: PosterSettings): Promise<AttemptResult> {
  const requestHeaders = { ...webhook.headers };
  const startedAt = new Date();
  const startedMs = performance.now();
  const partial: PartialResponse = { statusCode: null, headers: {}, bodyChunks: null, bodyTruncated: false };
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineExceeded(settings.timeoutMs)), settings.timeoutMs);

  const finish = (status: AttemptResult['status'], errorMessage: string | null): AttemptResult => ({
    status,
    httpStatusCode: partial.statusCode,
    durationMs: Math.round(performance.now() - startedMs),
    requestHeaders,
    responseHeaders: partial.headers,
    responseBody: partial.bodyChunks === null ? null : decodeBody(partial.bodyChunks, partial.bodyTruncated),
    errorMessage,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
  });

  try {
    const target = parseTargetUrl(webhook.url);
    if (typeof target === 'string') {
      return finish('failed', target);
    }
    const send = () =>
      request(target, {
        method: 'POST',
        body: webhook.body,
        headers: requestHeaders,
        dispatcher: settings.dispatcher,
        signal: deadline.signal,
      });
    const response = await (webhook.teamId === undefined ? send() : withResolutionTeam(webhook.teamId, send));
    partial.statusCode = response.statusCode;
    partial.headers = flattenHeaders(response.headers);
    await readCappedBody(response.body, settings.maxResponseBytes, partial);

    const status = classifyHttpStatus(response.statusCode);
    return finish(status, status === 'failed' ? describeUnusableStatus(response.statusCode, partial.headers) : null);
  } catch (error) {
    if (deadline.signal.aborted) {
      return finish('timeout', describeError(deadline.signal.reason));
    }
    return finish(isUndiciTimeout(error) ? 'timeout' : 'failed', describeError(error));
  } finally {
    clearTimeout(timer);
  }
}

/** Returns the URL, or the reason it cannot be posted to. */
function parseTargetUrl(url: string): URL | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `invalid URL ${JSON.stringify(url)} (ERR_INVALID_URL)`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `unsupported URL protocol ${JSON.stringify(parsed.protocol)}: only http: and https: are posted to`;
  }
  return parsed;
}

/**
 * Reads into `partial` until the body ends or the cap is reached. Past the cap the stream is destroyed, which
 * closes the socket: an endless body must not hold the attempt open, and a pooled socket with unread bytes
 * could not be reused anyway.
 */
async function readCappedBody(body: Dispatcher.ResponseData['body'], maxBytes: number, partial: PartialResponse) {
  const chunks: Buffer[] = [];
  partial.bodyChunks = chunks;
  let received = 0;
  // undici reports a destroy before the end as an 'error' event; once we stop reading nobody else listens.
  body.on('error', () => {});
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const room = maxBytes - received;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        partial.bodyTruncated = true;
        return;
      }
      chunks.push(chunk);
      received += chunk.length;
    }
  } finally {
    if (!body.destroyed) {
      body.destroy();
    }
  }
}

function decodeBody(chunks: Buffer[], truncated: boolean): string {
  // When the cap cut a multi-byte character in half, stream mode drops the incomplete tail instead of
  // appending U+FFFD, so the stored text never grows past the byte cap.
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks), { stream: truncated });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function describeUnusableStatus(statusCode: number, headers: Record<string, string>): string {
  if (statusCode >= 300 && statusCode <= 399) {
    const location = headers['location'];
    return location === undefined
      ? `redirect not followed (${statusCode} without a Location header)`
      : `redirect not followed (${statusCode} to ${location})`;
  }
  return `unexpected HTTP status ${statusCode}`;
}

/** A dispatcher's own phase timeouts (an injected one may be stricter than our deadline) still mean `timeout`. */
function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

/** One line for the delivery log that always names the error code when there is one (`ECONNREFUSED`, ...). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  // OpenSSL messages end in a newline and sometimes span lines; the delivery log wants one line.
  let message = error.message.replace(/\s+/g, ' ').trim();
  if (message === '' && error instanceof AggregateError) {
    // Happy-eyeballs connects fail with an AggregateError whose own message is empty.
    message = error.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner))).join('; ');
  }
  if (message === '') {
    message = error.name;
  }
  const code = (error as { code?: unknown }).code;
  const described = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return error.cause === undefined ? described : `${described} (cause: ${describeError(error.cause)})`;
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
