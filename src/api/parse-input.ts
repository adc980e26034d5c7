import type { z } from 'zod';
import { ValidationError, type FieldErrors } from './http-errors';
import { attributeName, laravelStyleMessage } from './laravel-style-message';

/**
 * Validates untrusted input against a schema; failures become a 422 naming each field (`events.2`, `url`).
 * An unknown field is reported under its own name, so a typo (`enabeld`) is never silently ignored.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(input, { error: laravelStyleMessage });
  if (result.success) return result.data;
  const errors: FieldErrors = {};
  const add = (path: ReadonlyArray<PropertyKey>, message: string) => {
    const field = [prefix, ...path.map(String)].filter(Boolean).join('.') || 'body';
    (errors[field] ??= []).push(message);
  };
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], `The ${attributeName([...issue.path, key])} field is not allowed.`);
    } else {
      add(issue.path, issue.message);
    }
  }
  throw new ValidationError(errors);
}
