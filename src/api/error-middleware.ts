import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error';
import { BadRequestError } from '../errors/bad-request-error';
import { ConflictError } from '../errors/conflict-error';
import { ForbiddenError } from '../errors/forbidden-error';
import { NotFoundError } from '../errors/not-found-error';
import { RateLimitedError } from '../errors/rate-limited-error';
import { TemporalUnavailableError } from '../errors/temporal-unavailable-error';
import { UnauthorizedError } from '../errors/unauthorized-error';
import { ValidationError } from '../errors/validation-error';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  limit?: number;
}

/** The only place that writes an error response. Unknown errors are logged and answered with a generic 500. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof AppError && writeAppError(err, res)) return;
    const parserError = err as BodyParserError;
    if (parserError.type === 'entity.parse.failed') {
      writeBadRequest(res, 'Malformed JSON in request body.');
      return;
    }
    if (parserError.type === 'entity.too.large') {
      res.status(413).json({ message: `Request body is larger than ${parserError.limit ?? 'the limit'} bytes.` });
      return;
    }
    if (err instanceof URIError) {
      writeBadRequest(res, 'Malformed percent-encoding in the URL.');
      return;
    }
    if (parserError.expose && parserError.status === 400) {
      writeBadRequest(res, (err as Error).message);
      return;
    }
    if (parserError.expose && parserError.status && parserError.status < 500) {
      res.status(parserError.status).json({ message: (err as Error).message });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ message: 'Server error.' });
  };
}

/** Each domain error's status and body; false for an AppError this layer does not know (a bug: answered 500). */
function writeAppError(err: AppError, res: Response): boolean {
  if (err instanceof ValidationError) {
    res.status(422).json({ message: err.message, errors: err.errors });
  } else if (err instanceof ConflictError) {
    res.status(409).json(err.errors ? { message: err.message, errors: err.errors } : { message: err.message });
  } else if (err instanceof NotFoundError) {
    res.status(404).json({ message: err.message });
  } else if (err instanceof UnauthorizedError) {
    res.status(401).json({ message: err.message });
  } else if (err instanceof ForbiddenError) {
    res.status(403).json({ message: err.message });
  } else if (err instanceof BadRequestError) {
    writeBadRequest(res, err.message);
  } else if (err instanceof RateLimitedError) {
    res.set('Retry-After', String(err.retryAfterSeconds)).status(429).json({ message: err.message });
  } else if (err instanceof TemporalUnavailableError) {
    res.set('Retry-After', String(err.retryAfterSeconds)).status(503).json({ message: err.message });
  } else {
    return false;
  }
  return true;
}

/**
 * 400 carries `error` beside `message`: Lettermint's Node SDK builds its `ClientError` message from `body.error`
 * (without it the caller reads "Unknown client error").
 */
function writeBadRequest(res: Response, message: string): void {
  res.status(400).json({ message, error: message });
}
