import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_BODY_BYTES } from '../../src/api/create-app';
import { jsonText, RawJson, withValueAt, type SchemaNode } from '../support/generated-input/arbitraries';
import { bodyMutation, rawBody } from '../support/generated-input/request-body-arbitraries';
import { propertySeed, type DocumentedOperation } from '../support/generated-input/generated-requests';
import { useGeneratedInputTarget } from '../support/generated-input/use-generated-input-target';

/**
 * Generated bad request bodies against the real API (GitHub issue 5, item 6), driven by the served OpenAPI document:
 * never a 5xx, always a JSON answer with a string `message`, and the right 4xx where the input decides it.
 */
describe('generated bad input: request bodies', function () {
  this.timeout(120_000);
  const target = useGeneratedInputTarget();
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype);

  const bodyOperations = () => target.operations.filter((op) => op.body);
  const writeOperations = () => target.operations.filter((op) => op.method !== 'GET');
  const operation = (operationId: string) => target.operations.find((op) => op.operationId === operationId)!;
  const asJson = (op: DocumentedOperation, body: string, expect = {}) => ({
    method: op.method,
    url: target.path(op),
    authorization: `Bearer ${target.manageToken}`,
    headers: { 'content-type': 'application/json' },
    body,
    expect,
  });

  it('has a valid body at hand for every documented operation that takes one', () => {
    assert.ok(bodyOperations().length >= 10);
    for (const op of bodyOperations()) assert.ok(target.baseBody(op), op.operationId);
  });

  it('answers a valid body changed in one field with a 2xx, or the 422 that names the field', async () => {
    const seed = propertySeed('one field changed', 20261101);
    const mutations = fc.constantFrom(...bodyOperations().map((op) => op.operationId)).chain((operationId) =>
      bodyMutation(operation(operationId).body!, target.baseBody(operation(operationId))).map((m) => ({
        operationId,
        ...m,
      })),
    );
    await fc.assert(
      fc.asyncProperty(mutations, async ({ operationId, path, value, expect }) => {
        const op = operation(operationId);
        await target.check(asJson(op, jsonText(withValueAt(target.baseBody(op), path, value)), expect));
      }),
      { numRuns: 450, seed },
    );
  });

  it('answers 400 to malformed or truncated JSON, and a JSON error to other bodies and content headers', async () => {
    const seed = propertySeed('raw bodies', 20261102);
    const requests = fc.constantFrom(...writeOperations().map((op) => op.operationId)).chain((operationId) => {
      const op = operation(operationId);
      const valid = jsonText(target.baseBody(op) ?? { note: ['not', 'read', { by: null }] });
      return rawBody(valid, op.body !== undefined).map((raw) => ({ operationId, ...raw }));
    });
    await fc.assert(
      fc.asyncProperty(requests, async ({ operationId, body, headers, expect }) => {
        const op = operation(operationId);
        await target.check({
          method: op.method,
          url: target.path(op, 'nothing'),
          authorization: `Bearer ${target.manageToken}`,
          headers,
          body,
          expect,
        });
      }),
      { numRuns: 260, seed },
    );
  });

  it('answers 413 with JSON to a body over 1 MiB, announced or chunked, and 401 without a token (the body unread)', async () => {
    const seed = propertySeed('oversized bodies', 20261103);
    const requests = fc.record({
      operationId: fc.constantFrom(...writeOperations().map((op) => op.operationId)),
      over: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 256 * 1024 })),
      chunked: fc.boolean(),
      withToken: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(requests, async ({ operationId, over, chunked, withToken }) => {
        const op = operation(operationId);
        const frame = ['{"name":"', '"}'];
        const text = frame[0] + 'x'.repeat(MAX_BODY_BYTES + over - frame.join('').length) + frame[1];
        const bytes = Buffer.from(text);
        assert.equal(bytes.length, MAX_BODY_BYTES + over);
        const body = chunked
          ? new ReadableStream<Uint8Array>({
              start(controller) {
                for (let at = 0; at < bytes.length; at += 64 * 1024)
                  controller.enqueue(bytes.subarray(at, at + 64 * 1024));
                controller.close();
              },
            })
          : bytes;
        // Without a token the answer is 401 whatever the size: authentication comes before the body is read. At
        // the limit the body is read: then the id that names nothing and the field decide.
        const atLimit = withToken ? [404, 422] : [401];
        await target.check({
          method: op.method,
          url: target.path(op, 'nothing'),
          authorization: withToken ? `Bearer ${target.manageToken}` : undefined,
          headers: { 'content-type': 'application/json' },
          body,
          expect: { statuses: over > 0 && withToken ? [413] : atLimit },
        });
      }),
      { numRuns: 14, seed },
    );
  });

  // Skipped until fixed: an unknown top-level field named like a property of `{}` (`__proto__`, `constructor`,
  // `toString`, ...) answers 500. parseInput collects messages with `(errors[field] ??= []).push(...)` on a plain
  // object, so `errors.constructor` is the Object function and `errors.__proto__` is Object.prototype: "TypeError:
  // errors[field].push is not a function" (src/api/parse-input.ts:15). Shrunk (seed 20261104): POST /v1/events with
  // the valid event plus "__proto__": []. By hand: POST /v1/projects {"name":"x","toString":1}. Nested ones
  // (`events.0.constructor`) are fine: their field name is prefixed.
  it('answers 422 naming an unknown field called __proto__, constructor, toString or the like', async () => {
    const seed = propertySeed('prototype-named fields', 20261104);
    const requests = fc.record({
      operationId: fc.constantFrom(...bodyOperations().map((op) => op.operationId)),
      key: fc.constantFrom('__proto__', ...prototypeNames),
      value: fc.jsonValue({ maxDepth: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(requests, async ({ operationId, key, value }) => {
        const op = operation(operationId);
        const body = withValueAt(target.baseBody(op), [key], value);
        await target.check(asJson(op, jsonText(body), { statuses: [422], field: key }));
      }),
      { numRuns: 40, seed },
    );
  });

  // Skipped until fixed: text with U+0000 that passes validation reaches Postgres, which refuses it ("invalid byte
  // sequence for encoding UTF8: 0x00"), and the API answers 500. Shrunk (seed 20261105): POST /v1/events with the
  // valid event plus "id": "\u0000generated". By hand, the same for project and route names (create and update),
  // webhook names and URLs ("https://example.com/\u0000x"), and the batch's `events.N.id`. `data` with NUL is stored
  // fine. A 422 naming the field would do.
  it('stores or refuses text containing NUL in every string field, never a 500', async () => {
    const seed = propertySeed('NUL in text', 20261105);
    const stringFields = bodyOperations().flatMap((op) =>
      stringFieldPaths(op.body!, target.baseBody(op)).map((field) => ({ operationId: op.operationId, ...field })),
    );
    const requests = fc
      .constantFrom(...stringFields)
      .chain((field) => fc.nat({ max: field.base.length }).map((at) => ({ ...field, at })));
    await fc.assert(
      fc.asyncProperty(requests, async ({ operationId, path, base, at }) => {
        const op = operation(operationId);
        const body = withValueAt(target.baseBody(op), path, `${base.slice(0, at)}\u0000${base.slice(at)}`);
        await target.check(asJson(op, jsonText(body)));
      }),
      { numRuns: 60, seed },
    );
  });

  // Skipped until fixed: event `data` nested a few thousand levels deep (shrunk, seed 20261106: 4,114 levels of
  // {"a": ...}, a 20 KB body) passes validation, then `JSON.stringify` in EventTrigger.trigger
  // (src/events/event-trigger.ts:51) overflows the stack: "RangeError: Maximum call stack size exceeded", answered
  // 500. Express parsed it fine. A depth limit (422 naming `data`) would do.
  it('accepts or refuses deeply nested event data, never a 500', async () => {
    const seed = propertySeed('deep event data', 20261106);
    const requests = fc.record({
      batch: fc.boolean(),
      depth: fc.integer({ min: 100, max: 100_000 }),
      arrays: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(requests, async ({ batch, depth, arrays }) => {
        const op = operation(batch ? 'triggerEvents' : 'triggerEvent');
        const [open, close] = arrays ? ['[', ']'] : ['{"a":', '}'];
        const data = new RawJson(`{"deep":${open.repeat(depth)}1${close.repeat(depth)}}`);
        const path = batch ? ['events', 0, 'data'] : ['data'];
        await target.check(asJson(op, jsonText(withValueAt(target.baseBody(op), path, data))));
      }),
      { numRuns: 30, seed },
    );
  });

  it('still answers /healthz and a normal request afterwards, and nothing polluted Object.prototype', async () => {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype), prototypeNames);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const health = await target.system.api('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const created = await target.system.api('POST', '/v1/projects', {
      token: target.manageToken,
      body: { name: 'After the storm' },
    });
    assert.equal(created.status, 201);
    const shown = await target.system.api('GET', `/v1/projects/${created.body.data.id}`, { token: target.manageToken });
    assert.equal(shown.body.name, 'After the storm');
  });
});

/** The string fields of a body, with a valid value for each (`events.0.id` too). */
function stringFieldPaths(
  schema: SchemaNode,
  base: any,
  prefix: Array<string | number> = [],
): Array<{ path: Array<string | number>; base: string }> {
  return Object.entries(schema.properties ?? {}).flatMap(([name, node]) => {
    if (node.type === 'string' && !node.enum && !node.pattern)
      return [{ path: [...prefix, name], base: typeof base?.[name] === 'string' ? base[name] : 'generated' }];
    if (node.type === 'array' && node.items?.properties && Array.isArray(base?.[name]))
      return stringFieldPaths(node.items, base[name][0], [...prefix, name, 0]);
    return [];
  });
}
