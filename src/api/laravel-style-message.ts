import type { z } from 'zod';

/**
 * zod issues worded as Laravel words its validation errors, which is what Lettermint's clients see:
 * "The name field is required.", "The selected events.2 is invalid.". Messages a schema sets itself win over these.
 */
export function laravelStyleMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const field = attributeName(issue.path ?? []);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return `The ${field} field is required.`;
      return `The ${field} field must be ${TYPE_NAMES[issue.expected] ?? `of type ${issue.expected}`}.`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? `The ${field} field is required.`
          : `The ${field} field must be at least ${issue.minimum} characters.`;
      }
      if (issue.origin === 'array') return `The ${field} field must have at least ${issue.minimum} items.`;
      return `The ${field} field must be at least ${issue.minimum}.`;
    case 'too_big':
      if (issue.origin === 'string') return `The ${field} field must not be greater than ${issue.maximum} characters.`;
      if (issue.origin === 'array') return `The ${field} field must not have more than ${issue.maximum} items.`;
      return `The ${field} field must not be greater than ${issue.maximum}.`;
    case 'invalid_value':
      return `The selected ${field} is invalid.`;
    case 'invalid_format':
      return `The ${field} field ${FORMAT_PHRASES[issue.format] ?? 'format is invalid'}.`;
    default:
      return undefined;
  }
}

/** Laravel's attribute names: the dotted path, underscores as spaces (`route_id` → "route id"). */
export function attributeName(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return 'request body';
  return path.map(String).join('.').replaceAll('_', ' ');
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

const FORMAT_PHRASES: Record<string, string> = {
  uuid: 'must be a valid UUID',
  datetime: 'must be a valid ISO-8601 date-time',
  date: 'must be a valid date (YYYY-MM-DD)',
  url: 'must be a valid URL',
  regex: 'format is invalid',
};
