import { z } from 'zod';

/** A display name: trimmed (as Laravel's TrimStrings does), required, at most 255 characters. */
export const nameField = z.string().trim().min(1).max(255);

/** Times are ISO-8601 in UTC with milliseconds, as `Date.toISOString` writes them. */
export const timestampField = z.iso.datetime();

/** `{data, message}`: what create, update and the other writes answer. */
export function dataWithMessage<T extends z.ZodType>(data: T) {
  return z.object({ data, message: z.string() }).strict();
}
