import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonText } from '../support/generated-input/arbitraries';
import {
  propertySeed,
  type DocumentedOperation,
  type GeneratedRequest,
} from '../support/generated-input/generated-requests';
import {
  listQuery,
  malformedEscapeSegment,
  refusedAuthorization,
  unknownIdSegment,
} from '../support/generated-input/request-url-arbitraries';
import { useGeneratedInputTarget } from '../support/generated-input/use-generated-input-target';

/**
 * Generated bad path ids, list query strings and tokens against the real API (GitHub issue 5, item 6), driven by the
 * served OpenAPI document: never a 5xx, always a JSON answer with a string `message`, and the right 4xx.
 */
describe('generated bad input: path ids, query strings and tokens', function () {
  this.timeout(120_000);
  const target = useGeneratedInputTarget();
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype);

  const operation = (operationId: string) => target.operations.find((op) => op.operationId === operationId)!;
  const withPathParams = () => target.operations.filter((op) => op.pathParams.length > 0);
  const listOperations = () => target.operations.filter((op) => op.queryParams.length > 0);
  /** The request an operation takes, with a valid body when it takes one. */
  const request = (
    op: DocumentedOperation,
    url: string,
    authorization: string | undefined,
    expect: GeneratedRequest['expect'],
  ): GeneratedRequest => {
    const body = target.baseBody(op);
    return body === undefined
      ? { method: op.method, url, authorization, expect }
      : {
          method: op.method,
          url,
          authorization,
          headers: { 'content-type': 'application/json' },
          body: jsonText(body),
          expect,
        };
  };
  const asManager = () => `Bearer ${target.manageToken}`;

  it('answers 404 with {message} to any path id that names nothing of the caller’s, on every operation', async () => {
    const seed = propertySeed('unknown path ids', 20261111);
    const { ids } = target;
    const sameKind: Record<string, string[]> = {
      projects: [ids.projects],
      routes: [ids.routes, ids.eventRoute],
      webhooks: [ids.webhooks],
    };
    /** Real ids of another kind, or of another team: they name nothing here either. */
    const foreignIds = (op: DocumentedOperation, param: string) => {
      const collection = param === 'id' ? /^\/v1\/([\w-]+)\//.exec(op.path)![1]! : 'none';
      return Object.values(ids).filter((id) => !(sameKind[collection] ?? []).includes(id));
    };
    const requests = fc
      .constantFrom(...withPathParams().map((op) => op.operationId))
      .chain((operationId) =>
        fc
          .constantFrom(...operation(operationId).pathParams)
          .chain((param) =>
            fc
              .oneof(
                { arbitrary: unknownIdSegment, weight: 6 },
                { arbitrary: fc.constantFrom(...foreignIds(operation(operationId), param)), weight: 1 },
              )
              .map((segment) => ({ operationId, param, segment })),
          ),
      );
    await fc.assert(
      fc.asyncProperty(requests, async ({ operationId, param, segment }) => {
        const op = operation(operationId);
        await target.check(request(op, target.path(op, { [param]: segment }), asManager(), { statuses: [404] }));
      }),
      { numRuns: 260, seed },
    );
  });

  // Skipped until fixed: a path id with a %-escape that is not UTF-8 answers 500. Express' router throws a URIError
  // with `status` 400 but without `expose`, so the error middleware logs it as unknown ("Failed to decode param
  // '%'", router/lib/layer.js:332) and answers {"message":"Server error."}. Shrunk (seed 20261112): GET
  // /v1/projects/% (with a valid token; without one it is a 401, as authentication runs first). A 404 (it names
  // nothing) or a 400 would do.
  it('answers a 4xx with {message} to a path id with a malformed %-escape', async () => {
    const seed = propertySeed('malformed %-escapes in path ids', 20261112);
    const requests = fc.record({
      operationId: fc.constantFrom(...withPathParams().map((op) => op.operationId)),
      segment: malformedEscapeSegment,
    });
    await fc.assert(
      fc.asyncProperty(requests, async ({ operationId, segment }) => {
        const op = operation(operationId);
        await target.check(
          request(op, target.path(op, { [op.pathParams[0]!]: segment }), asManager(), { statuses: [400, 404] }),
        );
      }),
      { numRuns: 40, seed },
    );
  });

  /** Valid values for each documented list parameter; the enums and ranges come from the document itself. */
  const validValues = (op: DocumentedOperation): Record<string, fc.Arbitrary<string>> => {
    const values: Record<string, fc.Arbitrary<string>> = {
      'filter[route_id]': fc.oneof(fc.uuid(), fc.constant(target.ids.routes)),
      'filter[project]': fc.oneof(fc.uuid(), fc.constant(target.ids.projects)),
      'filter[search]': fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
        .map((s) => s.replaceAll('\u0000', ''))
        .filter((s) => s.trim().length > 0),
      // Always from before to: a window the other way round is a 422 of its own.
      'filter[from_date]': fc.constantFrom('2020-01-01', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00.123+02:00'),
      'filter[to_date]': fc.constantFrom('2030-12-31', '2030-12-31T23:59:59Z', '2030-12-31T23:59:59-05:00'),
    };
    for (const { name, schema } of op.queryParams) {
      if (schema.enum) values[name] = fc.constantFrom(...schema.enum.map(String));
      else if (schema.type === 'integer')
        values[name] = fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 }).map(String);
    }
    // sort: distinct keys of its pattern, each way (a key twice is a 422 of its own).
    const sortKeys = /\^-\?\(([a-z_|]+)\)/.exec(
      String(op.queryParams.find((p) => p.name === 'sort')?.schema.pattern ?? ''),
    );
    if (sortKeys) {
      const keys = sortKeys[1]!.split('|');
      values.sort = fc
        .uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: keys.length })
        .chain((chosen) => fc.tuple(...chosen.map((key) => fc.constantFrom(key, `-${key}`))))
        .map((parts) => parts.join(','));
    }
    return values;
  };

  it('answers a list query with one bad part with 200 or the 422 that names the parameter', async () => {
    const seed = propertySeed('list query strings', 20261113);
    for (const op of listOperations()) {
      const known = validValues(op);
      // Cursors (either spelling) are the server's own tokens: there is no valid value to generate.
      const missing = op.queryParams.filter((p) => !known[p.name] && p.name !== 'page[cursor]' && p.name !== 'cursor');
      assert.deepEqual(missing, [], `${op.operationId}: no valid values for a documented parameter`);
    }
    const requests = fc.constantFrom(...listOperations().map((op) => op.operationId)).chain((operationId) => {
      const op = operation(operationId);
      return listQuery(op.queryParams, validValues(op)).map((query) => ({ operationId, ...query }));
    });
    await fc.assert(
      fc.asyncProperty(requests, async ({ operationId, query, expect }) => {
        const op = operation(operationId);
        await target.check(request(op, `${target.path(op)}?${query}`, asManager(), expect));
      }),
      { numRuns: 320, seed },
    );
  });

  // Skipped until fixed: a cursor that decodes to the right shape but an impossible time ("2026-99-99T...", or year
  // 0000) passes the cursor's regex and reaches Postgres ("date/time field value out of range"), answered 500
  // (src/api/cursor-page.ts: decodeCursor checks the shape only). Shrunk (seed 20261114): GET /v1/projects with
  // page[cursor] = base64url of {"created_at":"0000-00-00T00:00:00.000000Z",
  // "id":"00000000-0000-1000-8000-000000000000","direction":"next"}; 2026-02-30 fails the same way. A 422 naming
  // `page.cursor` would do.
  it('answers 200 or a 422 naming page.cursor to a well-formed cursor with an impossible time', async () => {
    const seed = propertySeed('cursors with impossible times', 20261114);
    const cursor = fc
      .record({
        created_at: fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
        id: fc.uuid(),
        direction: fc.constantFrom('next', 'prev'),
      })
      .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'));
    const requests = fc.record({
      operationId: fc.constantFrom(...listOperations().map((op) => op.operationId)),
      cursor,
    });
    await fc.assert(
      fc.asyncProperty(requests, async ({ operationId, cursor: text }) => {
        const op = operation(operationId);
        await target.check(
          request(op, `${target.path(op)}?page[cursor]=${text}`, asManager(), {
            statuses: [200, 422],
            field: 'page.cursor',
          }),
        );
      }),
      { numRuns: 40, seed },
    );
  });

  // Skipped until fixed: filter[search] with U+0000 is handed to Postgres in an ILIKE pattern, which refuses it
  // ("invalid byte sequence for encoding UTF8: 0x00"): 500. Minimal input: GET /v1/webhooks?filter[search]=%00.
  it('answers 200 or 422 to a search text containing NUL', async () => {
    const seed = propertySeed('NUL in filter[search]', 20261115);
    const search = fc
      .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }))
      .map(([a, b]) => `${a}\u0000${b}`);
    await fc.assert(
      fc.asyncProperty(search, async (text) => {
        const url = `/v1/webhooks?filter[search]=${encodeURIComponent(text)}`;
        await target.check({ method: 'GET', url, authorization: asManager(), expect: { statuses: [200, 422] } });
      }),
      { numRuns: 20, seed },
    );
  });

  it('answers 401 to a missing, unknown or mangled token and 403 to a trigger token on management routes', async () => {
    const seed = propertySeed('tokens', 20261116);
    const requests = fc.record({
      operationId: fc.constantFrom(...target.operations.map((op) => op.operationId)),
      authorization: fc.oneof(
        refusedAuthorization(target.manageToken),
        fc.constant({ kind: 'trigger token', header: `Bearer ${target.triggerToken}` }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(requests, async ({ operationId, authorization: { kind, header } }) => {
        const op = operation(operationId);
        const statuses = kind !== 'trigger token' ? [401] : op.scope === 'manage' ? [403] : [202];
        await target.check(request(op, target.path(op, 'nothing'), header, { statuses }));
      }),
      { numRuns: 220, seed },
    );
  });

  it('still answers /healthz and a normal request afterwards, and nothing polluted Object.prototype', async () => {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype), prototypeNames);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const health = await target.system.api('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const listed = await target.system.api('GET', '/v1/webhooks?page[size]=100', { token: target.manageToken });
    assert.equal(listed.status, 200);
    assert.ok(listed.body.data.some((webhook: { id: string }) => webhook.id === target.ids.webhooks));
  });
});
