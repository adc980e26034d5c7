import { AppError } from './app-error';

/** No credentials, or unknown ones. */
export class UnauthorizedError extends AppError {
  constructor(message = 'Unauthenticated.') {
    super(message);
  }
}
