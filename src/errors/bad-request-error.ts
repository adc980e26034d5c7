import { AppError } from './app-error';

/** A request the server cannot make sense of at all (a malformed `Host`, say): no field is to blame. */
export class BadRequestError extends AppError {}
