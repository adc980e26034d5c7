import { AppError } from './app-error';

/** No such resource, or one of another team (which must look exactly the same). */
export class NotFoundError extends AppError {
  /** @param what the resource, as in "Webhook not found."; without it, a plain "Not found." (an unknown path). */
  constructor(what?: string) {
    super(what ? `${what} not found.` : 'Not found.');
  }
}
