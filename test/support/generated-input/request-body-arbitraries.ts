import fc from 'fast-check';
import {
  edgeNumber,
  hostileString,
  hugeString,
  isPrototypeKeyName,
  MISSING,
  mustRefuse,
  nearMiss,
  nested,
  wrongType,
  type Expectation,
  type SchemaNode,
} from './arbitraries';

/** One change to a valid body: a field set to something else (or removed), or a field added. */
export interface BodyMutation {
  /** Where in the body: `['events', 0, 'route_id']`. */
  path: Array<string | number>;
  kind: string;
  value: unknown;
  expect: Expectation;
}

interface FieldTarget {
  path: Array<string | number>;
  node: SchemaNode;
  required: boolean;
  base: unknown;
}

/** Every field of the body schema, and the fields of array items that are objects (`events.0.route_id`). */
function fieldTargets(
  schema: SchemaNode,
  base: any,
  prefix: Array<string | number> = [],
): { fields: FieldTarget[]; objects: Array<Array<string | number>> } {
  const fields: FieldTarget[] = [];
  const objects: Array<Array<string | number>> = [prefix];
  for (const [name, node] of Object.entries(schema.properties ?? {})) {
    fields.push({
      path: [...prefix, name],
      node,
      required: (schema.required ?? []).includes(name),
      base: base?.[name],
    });
    if (node.type === 'array' && node.items?.properties && Array.isArray(base?.[name]) && base[name].length > 0) {
      const inner = fieldTargets(node.items, base[name][0], [...prefix, name, 0]);
      fields.push(...inner.fields);
      objects.push(...inner.objects);
    }
  }
  return { fields, objects };
}

function valueMutations(target: FieldTarget): Array<[kind: string, arbitrary: fc.Arbitrary<unknown>]> {
  const { node, base } = target;
  const baseText = typeof base === 'string' ? base : '';
  const kinds: Array<[string, fc.Arbitrary<unknown>]> = [
    ['missing', fc.constant(MISSING)],
    ['null', fc.constant(null)],
    ['wrong type', wrongType(node)],
    ['edge number', edgeNumber],
    [
      'deeply nested',
      fc.tuple(fc.integer({ min: 1, max: 64 }), fc.boolean()).map(([depth, arrays]) => nested(depth, arrays)),
    ],
    ['hostile string', hostileString({ maxLength: 80, nul: false })],
    ['huge string', hugeString(baseText)],
  ];
  if (typeof base === 'string') kinds.push(['near miss', nearMiss(base, { nul: false })]);
  if (node.format === 'uuid') kinds.push(['unknown id', fc.uuid()]);
  if (node.type === 'integer') {
    const { minimum = -1e6, maximum = 1e6 } = node;
    kinds.push([
      'out of range',
      fc.oneof(
        fc.constantFrom(minimum - 1, maximum + 1, minimum + 0.5),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      ),
    ]);
  }
  if (node.type === 'array' && node.items) {
    const items = node.items;
    const valid = Array.isArray(base) ? base : [];
    const badItem = items.enum ? nearMiss(String(items.enum[0]), { nul: false }) : wrongType(items);
    kinds.push(
      [
        'bad item',
        fc
          .tuple(fc.nat({ max: valid.length }), badItem)
          .map(([i, bad]) => [...valid.slice(0, i), bad, ...valid.slice(i)]),
      ],
      [
        'too few or too many items',
        fc.constantFrom(
          [],
          Array.from({ length: (node.maxItems ?? 1000) + 1 }, () => valid[0] ?? 1),
        ),
      ],
    );
  }
  if (node.type === 'object') {
    // `data` holds anything: hostile keys, prototype-named keys and nesting inside it are all valid.
    const hostileEntries = fc.array(
      fc.tuple(
        fc.oneof(hostileString({ nul: false }), fc.constantFrom('__proto__', 'constructor', 'prototype')),
        fc.jsonValue({ maxDepth: 3 }),
      ),
      { maxLength: 6 },
    );
    kinds.push([
      'hostile content',
      fc.tuple(hostileEntries, fc.integer({ min: 0, max: 64 })).map(([entries, depth]) => {
        const record: Record<string, unknown> = {};
        for (const [key, value] of entries)
          Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
        Object.defineProperty(record, 'nested', { value: nested(depth, depth % 2 === 0), enumerable: true });
        return record;
      }),
    ]);
  }
  return kinds;
}

function expectationOf(target: FieldTarget, kind: string, value: unknown): Expectation {
  const field = target.path.join('.');
  if (value === MISSING) return target.required ? { statuses: [422], field } : {};
  if (kind === 'unknown id') return { statuses: [404, 422], field };
  return mustRefuse(target.node, value) ? { statuses: [422], field } : {};
}

/** Field names no schema has; the prototype names are held out (the skipped prototype-key property has them). */
function unknownKey(known: SchemaNode): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom('enabeld', 'Name', 'name ', 'route-id', 'team_id', 'secret', 'created_at', 'id', 'a.b', '0'),
      hostileString({ minLength: 1 }),
    )
    .filter((key) => !Object.hasOwn(known.properties ?? {}, key) && !isPrototypeKeyName(key));
}

/** A valid body changed in one place, with what the API must answer to it. */
export function bodyMutation(schema: SchemaNode, base: unknown): fc.Arbitrary<BodyMutation> {
  const { fields, objects } = fieldTargets(schema, base);
  const changed = fc
    .constantFrom(...fields)
    .chain((target) =>
      fc.oneof(
        ...valueMutations(target).map(([kind, arbitrary]) =>
          arbitrary.map((value) => ({ path: target.path, kind, value, expect: expectationOf(target, kind, value) })),
        ),
      ),
    );
  const added = fc.constantFrom(...objects).chain((path) => {
    const node =
      path.length === 0
        ? schema
        : fieldTargets(schema, base).fields.find((f) => f.path.join('.') === path.slice(0, -1).join('.'))!.node.items!;
    return fc.tuple(unknownKey(node), fc.jsonValue({ maxDepth: 1 })).map(([key, value]) => ({
      path: [...path, key],
      kind: 'unknown field',
      value,
      expect: { statuses: [422], field: [...path, key].join('.') },
    }));
  });
  return fc.oneof({ arbitrary: changed, weight: 5 }, { arbitrary: added, weight: 1 });
}

/**
 * How Express' JSON parser (strict) takes a body text: empty is `{}`, anything not starting with `{` or `[` or not
 * JSON is malformed (400), else a value. A leading BOM is dropped first, as the parser's decoder does.
 */
export function parsedBodyKind(text: string): 'empty' | 'malformed' | 'object' | 'array' {
  const unmarked = text.replace(/^\uFEFF/, '');
  if (unmarked.length === 0) return 'empty';
  const first = /^[ \t\n\r]*([^ \t\n\r])/.exec(unmarked)?.[1];
  if (first !== '{' && first !== '[') return 'malformed';
  try {
    return Array.isArray(JSON.parse(unmarked)) ? 'array' : 'object';
  } catch {
    return 'malformed';
  }
}

/** A raw body, and the content headers it goes with. */
export interface RawBody {
  kind: string;
  body: string | Uint8Array;
  headers: Record<string, string>;
  expect: Expectation;
}

/** Bodies that are not JSON, truncated JSON, JSON of the wrong shape, and JSON under wrong content headers. */
export function rawBody(validText: string, takesBody: boolean): fc.Arbitrary<RawBody> {
  const json = { 'content-type': 'application/json' };
  const judged = (
    kind: string,
    body: string | Uint8Array,
    text: string,
    headers: Record<string, string> = json,
  ): RawBody => {
    const parsed = parsedBodyKind(text);
    const expect: Expectation =
      parsed === 'malformed'
        ? { statuses: [400] }
        : parsed === 'array' && takesBody
          ? { statuses: [422], field: 'body' }
          : {};
    return { kind, body, headers, expect };
  };
  const charsetRefused = (type: string) => /charset=(?!"?utf-)/i.test(type);
  return fc.oneof(
    fc.nat().map((n) => {
      const cut = 1 + (n % (validText.length - 1));
      return judged('truncated JSON', validText.slice(0, cut), validText.slice(0, cut));
    }),
    // fetch sends a lone surrogate as U+FFFD; no JSON validity hinges on which character it is.
    hostileString({ maxLength: 120 }).map((text) => judged('text', text, text.replace(/[\ud800-\udfff]/g, '\ufffd'))),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => judged('bytes', bytes, Buffer.from(bytes).toString('utf8'))),
    fc
      .jsonValue({ maxDepth: 3 })
      .map((value) => judged('JSON of another shape', JSON.stringify(value), JSON.stringify(value))),
    fc
      .oneof(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json; charset=latin1',
          'application/json; charset=us-ascii',
          'application/json; charset=utf-16',
          'application/json; charset=utf-unknown',
          'application/json; charset="UTF-8"',
          'garbage',
          ';;;',
          'application/json; charset',
        ),
        fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
      )
      .map((type) => ({
        kind: 'content type',
        body: validText,
        headers: { 'content-type': type },
        expect: charsetRefused(type) ? { statuses: [415] } : {},
      })),
    fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'x-junk', 'GZIP', 'gzip, br').map((encoding) => ({
      kind: 'content encoding',
      body: validText,
      headers: { ...json, 'content-encoding': encoding },
      expect: { statuses: ['gzip', 'deflate', 'br', 'GZIP'].includes(encoding) ? [400] : [415] },
    })),
  );
}
