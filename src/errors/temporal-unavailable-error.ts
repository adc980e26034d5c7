import { AppError } from './app-error';

/** Temporal did not answer in time a request that cannot be done without it; the caller may try again. */
export class TemporalUnavailableError extends AppError {
  readonly retryAfterSeconds = 5;
}
