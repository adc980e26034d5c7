import { AppError } from './app-error';
import type { FieldErrors } from './field-errors';

/** The request clashes with the resource's state; `errors` names the field when one is to blame. */
export class ConflictError extends AppError {
  constructor(
    message: string,
    readonly errors?: FieldErrors,
  ) {
    super(message);
  }
}
