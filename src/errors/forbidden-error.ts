import { AppError } from './app-error';

/** Known credentials without the right to do this. */
export class ForbiddenError extends AppError {
  constructor(message = 'This token may not do that.') {
    super(message);
  }
}
