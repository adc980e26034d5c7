import type { Request } from 'express';
import { RateLimitedError } from '../errors/rate-limited-error';

const WINDOW_MS = 60_000;
/** Sources remembered per window at most: a flood from more addresses than this is not slowed further. */
const MAX_SOURCES = 100_000;

/**
 * Failed authentications per source address and minute, counted in this process (audit 12). A source past the
 * limit is answered 429 before its credentials are even looked up, for the rest of the minute: a flood of bad
 * tokens then costs neither a body parse nor a database round trip. The source is `req.ip`: the peer's address,
 * or the client's as the proxies named in `TRUST_PROXY` report it.
 */
export class AuthFailureLimiter {
  private windowStartedAt = 0;
  private failures = new Map<string, number>();

  /** @param perMinute failures a source may have per minute; 0 switches the limiter off. */
  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws a RateLimitedError (429 with Retry-After) when the request's source has failed too often. */
  check(req: Request): void {
    if (this.perMinute <= 0) return;
    this.roll();
    if ((this.failures.get(sourceOf(req)) ?? 0) < this.perMinute) return;
    const retryAfter = Math.max(1, Math.ceil((this.windowStartedAt + WINDOW_MS - this.now()) / 1000));
    throw new RateLimitedError(
      `Too many failed authentications from this address: retry after ${retryAfter} s.`,
      retryAfter,
    );
  }

  /** Counts one failed authentication of the request's source. */
  fail(req: Request): void {
    if (this.perMinute <= 0) return;
    this.roll();
    const source = sourceOf(req);
    const count = this.failures.get(source);
    if (count === undefined && this.failures.size >= MAX_SOURCES) return;
    this.failures.set(source, (count ?? 0) + 1);
  }

  private roll(): void {
    const now = this.now();
    if (now - this.windowStartedAt < WINDOW_MS) return;
    this.windowStartedAt = now;
    this.failures = new Map();
  }
}

function sourceOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
