import type { z } from 'zod';
import { ValidationError, type FieldErrors } from './http-errors';

/** Validates untrusted input against a schema; failures become a 422 naming each field (`events.2`, `url`). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'body';
    (errors[field] ??= []).push(issue.message);
  }
  throw new ValidationError(errors);
}
