import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { RateLimitedError } from '../errors/rate-limited-error';

/**
 * Requests per token per minute, counted in this process (N API processes allow N times as many in all). The
 * answer past the limit is 429 with `Retry-After` in seconds, written by the error middleware like any error.
 */
export function rateLimitPerToken(perMinute: number): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (_req, res) => res.locals.principal.tokenId,
    // Triggers have a limit of their own, on the deliveries they create per team (TeamDeliveryBudget).
    skip: (req) => req.path === '/events' || req.path === '/events/batch',
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      next(
        new RateLimitedError(
          `Too many requests: at most ${perMinute} per minute for this token. Retry after ${retryAfter} s.`,
          retryAfter,
        ),
      );
    },
  });
}
