import { AppError } from './app-error';
import { summarizeFieldErrors, type FieldErrors } from './field-errors';

/** Input that breaks a rule, with a message per field. */
export class ValidationError extends AppError {
  constructor(
    readonly errors: FieldErrors,
    message?: string,
  ) {
    super(message ?? summarizeFieldErrors(errors));
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }
}
