import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { HttpError } from './http-errors';

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
    if (err instanceof HttpError) {
      res.set(err.headers);
      res.status(err.status).json(err.errors ? { message: err.message, errors: err.errors } : { message: err.message });
      return;
    }
    const parserError = err as BodyParserError;
    if (parserError.type === 'entity.parse.failed') {
      res.status(400).json({ message: 'Malformed JSON in request body.' });
      return;
    }
    if (parserError.type === 'entity.too.large') {
      res.status(413).json({ message: `Request body is larger than ${parserError.limit ?? 'the limit'} bytes.` });
      return;
    }
    if (err instanceof URIError) {
      res.status(400).json({ message: 'Malformed percent-encoding in the URL.' });
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
