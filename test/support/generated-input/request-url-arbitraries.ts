import fc from 'fast-check';
import {
  hostileString,
  isPrototypeKeyName,
  mustRefuse,
  nearMiss,
  type Expectation,
  type SchemaNode,
} from './arbitraries';

/** Lone surrogates become U+FFFD, as a URL carries them (`encodeURIComponent` refuses them outright). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const encode = (text: string) => encodeURIComponent(wellFormed(text));

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/** `.` and `..`, in any spelling a URL parser accepts, are resolved away before the request leaves. */
function isDotSegment(segment: string): boolean {
  return ['.', '..'].includes(segment.replace(/%2e/gi, '.'));
}

const SQLISH = [
  "' OR '1'='1",
  '1; DROP TABLE webhooks; --',
  "' UNION SELECT token_hash FROM api_tokens --",
  '$1',
  "'; SELECT pg_sleep(5); --",
  'NULL',
  '*',
  '%',
  '_',
];

/** Under Node's 16 KiB header limit, past which Node itself answers 431 before the app sees anything. */
const MAX_SEGMENT = 12_000;

/**
 * A path segment, encoded as sent, that names nothing of the caller's: UUIDs of nothing, near-UUIDs, SQL, any code
 * points, very long runs, %-escapes of any bytes, double encoding. Malformed %-escapes are held out: they answer 500
 * today (the skipped malformed-escape property reproduces it).
 */
export const unknownIdSegment: fc.Arbitrary<string> = fc
  .oneof(
    fc.uuid(),
    fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
    fc
      .uuid()
      .chain((uuid) => nearMiss(uuid))
      .map(encode),
    fc
      .tuple(fc.constantFrom(...SQLISH), fc.uuid())
      .chain(([sql, uuid]) => fc.constantFrom(sql, uuid + sql, `${sql}${uuid}`))
      .map(encode),
    hostileString({ minLength: 1, maxLength: 60 }).map(encode),
    fc
      .tuple(fc.integer({ min: 256, max: 4000 }), fc.constantFrom('a', '0', '-', '%', 'é'))
      .map(([length, c]) => encode(c.repeat(Math.min(length, Math.floor(MAX_SEGMENT / encode(c).length))))),
    fc
      .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 30 })
      .map((bytes) => bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
    hostileString({ minLength: 1, maxLength: 30 }).map((text) => encode(encode(text))),
  )
  .filter((segment) => segment.length > 0 && decodes(segment) && !isDotSegment(segment));

/** A segment with a %-escape that decodes to no UTF-8: a stray `%`, a bad hex digit, a cut or overlong sequence. */
export const malformedEscapeSegment: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', 'abc', '00000000-0000-4000-8000-00000000000'),
    fc.constantFrom('%', '%z', '%zz', '%4', '%E0%A4%A', '%C0', '%C0%AF', '%FF', '%ED%A0%80', '%c3', '%e2%82'),
    fc.constantFrom('', '0', 'x'),
  )
  .map((parts) => parts.join(''))
  .filter((segment) => !decodes(segment));

// ---- list query strings -------------------------------------------------------------------------------------

export interface QueryParam {
  name: string;
  schema: SchemaNode;
}

export interface GeneratedQuery {
  kind: string;
  /** Without the `?`, encoded as sent. */
  query: string;
  expect: Expectation;
}

interface QueryChange {
  kind: string;
  pairs: Array<[string, string]>;
  expect: Expectation;
  /** The base parameters it replaces: those whose name starts with this. */
  drop?: string;
}

/** `page[size]` → `page.size`: how a 422 names a query field. */
const dotted = (name: string) => name.replace(/\[([^\]]*)\]/g, '.$1');

/** The document calls cursors opaque; a cursor must at least decode to the object the API writes into one. */
function cursorShaped(text: string): boolean {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return (
      value !== null && typeof value === 'object' && Object.keys(value).sort().join() === 'created_at,direction,id'
    );
  } catch {
    return false;
  }
}

/** True when the query value certainly breaks the parameter (query values are text: integers are coerced). */
function refuses(param: QueryParam, value: string): boolean {
  const { schema } = param;
  if (schema.type === 'integer') {
    const number = Number(value);
    return !Number.isInteger(number) || number < (schema.minimum ?? -Infinity) || number > (schema.maximum ?? Infinity);
  }
  if (param.name.endsWith('[cursor]')) return !cursorShaped(value);
  return mustRefuse(schema, value);
}

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** Values no parameter takes: any text, numbers spelt every way, base64 of garbage, very long, near misses. */
function junkValue(valid: fc.Arbitrary<string> | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    hostileString({ maxLength: 40, nul: false }),
    fc.constantFrom(
      '',
      ' ',
      '0',
      '-0',
      '-1',
      '101',
      '1e309',
      'NaN',
      '0x10',
      '1e1',
      '1.5',
      ' 5 ',
      '+5',
      '\u0661\u0662',
      'Infinity',
      '9'.repeat(400),
      'true',
      'null',
      '[]',
      '{}',
    ),
    fc.uint8Array({ maxLength: 60 }).map(base64url),
    fc.jsonValue({ maxDepth: 2 }).map((value) => base64url(Buffer.from(JSON.stringify(value)))),
    fc.integer({ min: 256, max: 3000 }).map((length) => 'a'.repeat(length)),
    ...(valid ? [valid.chain((value) => nearMiss(value, { nul: false }))] : []),
  );
}

const letters = fc.stringMatching(/^[a-z_]{1,12}$/);

/**
 * A list's query string: some documented parameters with valid values, plus at most one bad part (a junk value, a
 * parameter repeated, given brackets or sub-keys, an unknown `page[...]`/`filter[...]` key, `page=` as plain text,
 * prototype-named keys, or raw bracket soup), with what the API must answer.
 */
export function listQuery(
  params: QueryParam[],
  validValues: Record<string, fc.Arbitrary<string>>,
): fc.Arbitrary<GeneratedQuery> {
  const parents = new Set(params.flatMap((p) => /^(\w+)\[/.exec(p.name)?.[1] ?? []));
  const withValues = params.filter((p) => validValues[p.name]);
  const valid = fc
    .subarray(withValues)
    .chain((chosen) =>
      fc.tuple(...chosen.map((p) => validValues[p.name]!.map((value): [string, string] => [p.name, value]))),
    );
  const anyParam = fc.constantFrom(...params);
  const named = (name: string): Expectation => ({ statuses: [422], field: dotted(name) });
  const queryChange = (
    kind: string,
    pairs: Array<[string, string]>,
    expect: Expectation,
    drop?: string,
  ): QueryChange => ({ kind, pairs, expect, drop });
  const changes = fc.oneof(
    fc.constant(queryChange('valid', [], { statuses: [200] })),
    anyParam.chain((p) =>
      junkValue(validValues[p.name]).map((value) =>
        queryChange('junk value', [[p.name, value]], refuses(p, value) ? named(p.name) : {}, p.name),
      ),
    ),
    fc.tuple(anyParam, junkValue(undefined), junkValue(undefined)).map(([p, a, b]) =>
      queryChange(
        'repeated',
        [
          [p.name, a],
          [p.name, b],
        ],
        named(p.name),
        p.name,
      ),
    ),
    fc
      .tuple(anyParam, junkValue(undefined))
      .map(([p, value]) =>
        queryChange('array', [[`${p.name}[]`, value]], p.schema.type === 'integer' ? {} : named(p.name), p.name),
      ),
    fc
      .tuple(anyParam, letters, junkValue(undefined))
      .filter(([, key]) => !isPrototypeKeyName(key))
      .map(([p, key, value]) => queryChange('object', [[`${p.name}[${key}]`, value]], named(p.name), p.name)),
    fc
      .tuple(fc.constantFrom('page', 'filter'), letters, junkValue(undefined))
      .filter(([parent, key]) => !params.some((p) => p.name === `${parent}[${key}]`) && !isPrototypeKeyName(key))
      .map(([parent, key, value]) =>
        queryChange(
          'unknown key',
          [[`${parent}[${key}]`, value]],
          parents.has(parent) ? named(`${parent}[${key}]`) : {},
        ),
      ),
    fc
      .tuple(fc.constantFrom('page', 'filter'), junkValue(undefined))
      .map(([parent, value]) =>
        queryChange('plain text parent', [[parent, value]], parents.has(parent) ? named(parent) : {}, `${parent}[`),
      ),
    fc
      .constantFrom(
        '__proto__[polluted]',
        'constructor[prototype][polluted]',
        'filter[__proto__][polluted]',
        'page[__proto__]',
        'filter[constructor]',
        'sort[__proto__]',
        '__proto__',
        'hasOwnProperty',
      )
      .map((name) => queryChange('prototype key', [[name, 'yes']], {})),
    fc
      .string({ unit: fc.constantFrom(...'[]=&%+;.,abdefgilnoprstz019_-'.split('')), maxLength: 60 })
      .map((raw) => queryChange('raw', [[raw, '']], {})),
  );
  return fc.tuple(valid, changes).map(([base, change]) => {
    const kept = base.filter(([name]) => !change.drop || !name.startsWith(change.drop));
    const pair = ([name, value]: [string, string]) => `${name}=${encode(value)}`;
    const added = change.pairs.map(change.kind === 'raw' ? ([soup]) => soup : pair);
    return { kind: change.kind, query: [...kept.map(pair), ...added].join('&'), expect: change.expect };
  });
}

// ---- Authorization headers ----------------------------------------------------------------------------------

const tokenChar = fc.constantFrom(...Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)));

/** `Authorization` values that must not authenticate: missing, unknown, other schemes, a real token mangled. */
export function refusedAuthorization(realToken: string): fc.Arbitrary<{ kind: string; header: string | undefined }> {
  const junk = fc.string({ unit: tokenChar, minLength: 1, maxLength: 300 });
  return fc.oneof(
    fc.constant({ kind: 'none', header: undefined }),
    junk.map((token) => ({ kind: 'unknown bearer', header: `Bearer ${token}` })),
    fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((header) => ({ kind: 'random', header })),
    fc
      .constantFrom(
        `${realToken}`,
        `Basic ${realToken}`,
        `Token ${realToken}`,
        `Bearer${realToken}`,
        `Bearer ${realToken} ${realToken}`,
        `Bearer ${realToken.toUpperCase()}`,
        `Bearer ${realToken.slice(0, -1)}`,
        `Bearer ${realToken}x`,
        `Bearer x${realToken}`,
        `Bearer "${realToken}"`,
        `Bearer ${Buffer.from(realToken).toString('base64')}`,
      )
      .map((header) => ({ kind: 'mangled', header })),
  );
}
