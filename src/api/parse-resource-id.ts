import { NotFoundError } from '../errors/not-found-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A resource id from the path. Something that is not a UUID names no resource, so it is a 404 like any other
 * unknown id (as Laravel's route model binding answers), never a 422 that would tell ids apart.
 */
export function parseResourceId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError(what);
  return value.toLowerCase();
}
