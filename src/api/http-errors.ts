/** Field name → messages, as Lettermint's 422 bodies carry them. */
export type FieldErrors = Record<string, string[]>;

/** The one error hierarchy of the API: handlers throw these, the error middleware writes the response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: FieldErrors,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class ValidationError extends HttpError {
  constructor(errors: FieldErrors, message?: string) {
    super(422, message ?? summarize(errors), errors);
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }
}

export class NotFoundError extends HttpError {
  constructor(what = 'Resource') {
    super(404, `${what} not found.`);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Unauthenticated.') {
    super(401, message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'This token may not do that.') {
    super(403, message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, errors?: FieldErrors) {
    super(409, message, errors);
  }
}

/** Laravel's style, which Lettermint follows: the first message, plus "(and N more errors)". */
function summarize(errors: FieldErrors): string {
  const messages = Object.values(errors).flat();
  const first = messages[0] ?? 'The given data was invalid.';
  const more = messages.length - 1;
  return more > 0 ? `${first} (and ${more} more error${more === 1 ? '' : 's'})` : first;
}
