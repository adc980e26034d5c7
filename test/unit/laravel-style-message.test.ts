import assert from 'node:assert/strict';
import { z } from 'zod';
import { attributeName, laravelStyleMessage } from '../../src/api/laravel-style-message';

/** The message of each issue, by dotted path, as the API's parseInput words them. */
function messages(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input, { error: laravelStyleMessage });
  assert.ok(!result.success, 'the input was valid');
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('laravelStyleMessage', () => {
  it('calls a missing or null field required', () => {
    const schema = z.object({ name: z.string(), route_id: z.uuid() });
    assert.deepEqual(messages(schema, { name: null }), {
      name: 'The name field is required.',
      route_id: 'The route id field is required.',
    });
  });

  it('names the type a field must have', () => {
    const schema = z.object({
      s: z.string(),
      n: z.number(),
      i: z.int(),
      b: z.boolean(),
      a: z.array(z.string()),
      o: z.object({}),
      big: z.bigint(),
    });
    assert.deepEqual(messages(schema, { s: 1, n: 'x', i: 1.5, b: 'yes', a: 'x', o: 'x', big: 'x' }), {
      s: 'The s field must be a string.',
      n: 'The n field must be a number.',
      i: 'The i field must be an integer.',
      b: 'The b field must be true or false.',
      a: 'The a field must be an array.',
      o: 'The o field must be an object.',
      big: 'The big field must be of type bigint.',
    });
  });

  it('words minimum and maximum lengths, item counts and values as Laravel does', () => {
    const schema = z.object({
      required: z.string().min(1),
      code: z.string().min(3),
      name: z.string().max(255),
      events: z.array(z.string()).min(1),
      tags: z.array(z.string()).max(3),
      size: z.number().min(1),
      grace: z.number().max(604800),
    });
    const input = {
      required: '',
      code: 'ab',
      name: 'x'.repeat(256),
      events: [],
      tags: ['a', 'b', 'c', 'd'],
      size: 0,
      grace: 604801,
    };
    assert.deepEqual(messages(schema, input), {
      required: 'The required field is required.',
      code: 'The code field must be at least 3 characters.',
      name: 'The name field must not be greater than 255 characters.',
      events: 'The events field must have at least 1 items.',
      tags: 'The tags field must not have more than 3 items.',
      size: 'The size field must be at least 1.',
      grace: 'The grace field must not be greater than 604800.',
    });
  });

  it('calls a value outside an enum or literal "selected … is invalid", naming array items by index', () => {
    const schema = z.object({ route_type: z.enum(['transactional', 'broadcast']), events: z.array(z.literal('x')) });
    assert.deepEqual(messages(schema, { route_type: 'sms', events: ['x', 'x', 'y'] }), {
      route_type: 'The selected route type is invalid.',
      'events.2': 'The selected events.2 is invalid.',
    });
  });

  it('names the format a string must have, and says "format is invalid" for the others', () => {
    const schema = z.object({
      id: z.uuid(),
      at: z.iso.datetime(),
      day: z.iso.date(),
      url: z.url(),
      slug: z.string().regex(/^[a-z]+$/),
      email: z.email(),
    });
    const input = { id: 'x', at: 'yesterday', day: '1 May', url: 'not a url', slug: 'A', email: 'x' };
    assert.deepEqual(messages(schema, input), {
      id: 'The id field must be a valid UUID.',
      at: 'The at field must be a valid ISO-8601 date-time.',
      day: 'The day field must be a valid date (YYYY-MM-DD).',
      url: 'The url field must be a valid URL.',
      slug: 'The slug field format is invalid.',
      email: 'The email field format is invalid.',
    });
  });

  it('calls the input itself "the request body"', () => {
    assert.deepEqual(messages(z.string(), undefined), { '': 'The request body field is required.' });
    assert.deepEqual(messages(z.object({}), 'x'), { '': 'The request body field must be an object.' });
  });

  it('lets a message the schema sets itself win', () => {
    const schema = z.object({ code: z.string().min(3, 'Too short, sorry.'), s: z.string({ message: 'Own.' }) });
    assert.deepEqual(messages(schema, { code: 'a', s: 1 }), { code: 'Too short, sorry.', s: 'Own.' });
  });

  it('has no wording of its own for other issues, leaving them to the schema or zod', () => {
    assert.equal(laravelStyleMessage({ code: 'custom', path: ['x'], input: 1, message: '' } as never), undefined);
    assert.equal(
      laravelStyleMessage({ code: 'unrecognized_keys', keys: ['extra'], path: [], input: {} } as never),
      undefined,
    );
  });
});

describe('attributeName', () => {
  it('joins the path with dots and writes underscores as spaces', () => {
    assert.equal(attributeName(['route_id']), 'route id');
    assert.equal(attributeName(['events', 2, 'event_type']), 'events.2.event type');
    assert.equal(attributeName(['filter', 'from_date']), 'filter.from date');
  });

  it('calls the empty path the request body', () => {
    assert.equal(attributeName([]), 'request body');
  });
});
