import { AppError } from './app-error';

/** Past a limit; the caller may try again after `retryAfterSeconds`. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
