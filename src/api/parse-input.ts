import type { z } from 'zod';
import { ValidationError } from '../errors/validation-error';
import type { FieldErrors } from '../errors/field-errors';
import { attributeName, laravelStyleMessage } from './laravel-style-message';
import { walkJson } from './walk-json';

/**
 * Validates untrusted input against a schema; failures become a 422 naming each field (`events.2`, `url`).
 * An unknown field is reported under its own name, so a typo (`enabeld`) is never silently ignored.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(input, { error: laravelStyleMessage });
  // No prototype: a client may name an unknown field `__proto__` or `toString`.
  const errors: FieldErrors = Object.create(null) as FieldErrors;
  const add = (path: ReadonlyArray<PropertyKey>, message: string) => {
    const field = [prefix, ...path.map(String)].filter(Boolean).join('.') || 'body';
    (errors[field] ??= []).push(message);
  };
  if (result.success) {
    // Postgres text cannot hold NUL; refuse it in every field we store as text (free-form `data` is stored as
    // JSON, where NUL is escaped, so it may carry one).
    for (const path of pathsOfStringsWithNul(result.data))
      add(path, `The ${attributeName(path)} field must not contain NUL characters.`);
    if (Object.keys(errors).length === 0) return result.data;
    throw new ValidationError(errors);
  }
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        add([...issue.path, key], `The ${attributeName([...issue.path, key])} field is not allowed.`);
    } else {
      add(issue.path, issue.message);
    }
  }
  throw new ValidationError(errors);
}

/** Where NUL characters hide in parsed input, outside free-form `data` objects. */
function pathsOfStringsWithNul(value: unknown): PropertyKey[][] {
  const found: PropertyKey[][] = [];
  walkJson(value, ({ value: node, path }) => {
    if (path[path.length - 1] === 'data') return false;
    if (typeof node === 'string' && node.includes('\u0000')) found.push(path);
    return found.length < 20 || 'stop';
  });
  return found;
}
