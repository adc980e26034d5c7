import assert from 'node:assert/strict';
import { serveApp } from '../support/system/serve-app';
import { useTestSystem } from '../support/system/use-test-system';

/** Audit 12: anonymous requests cost no body parse, and a source that keeps failing to authenticate is slowed. */
describe('authentication before the body, and failed authentications per source', function () {
  this.timeout(60_000);

  const ctx = useTestSystem({ temporal: 'time-skipping', tenant: true });

  const post = async (baseUrl: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const json = (await response.json()) as { message: string };
    return { status: response.status, json, headers: response.headers, ms: performance.now() - started };
  };

  it('answers 401 to a 900 KB anonymous body without parsing it, and parses it once a token is given', async () => {
    // Malformed on purpose: a parse would answer 400, so a 401 proves the body was never parsed.
    const malformed = `{"name":"${'x'.repeat(900 * 1024)}"`;
    const anonymous = await post(ctx.system.baseUrl, malformed);
    const withBadToken = await post(ctx.system.baseUrl, malformed, { authorization: 'Bearer th_unknown' });
    const withToken = await post(ctx.system.baseUrl, malformed, { authorization: `Bearer ${ctx.tenant.token}` });
    console.log(
      `        900 KB malformed body: anonymous ${anonymous.status} in ${anonymous.ms.toFixed(0)} ms, unknown token ${withBadToken.status} in ${withBadToken.ms.toFixed(0)} ms, valid token ${withToken.status} in ${withToken.ms.toFixed(0)} ms`,
    );
    assert.equal(anonymous.status, 401);
    assert.deepEqual(anonymous.json, { message: 'Unauthenticated.' });
    assert.equal(withBadToken.status, 401);
    assert.equal(withToken.status, 400, 'with a token the same body is parsed (and refused as malformed)');
    assert.ok(anonymous.ms < 2_000, `anonymous answer took ${anonymous.ms} ms`);
  });

  it('answers 401, not 413, to an anonymous body over the 1 MiB limit', async () => {
    const huge = Buffer.alloc(1536 * 1024, 'x');
    assert.equal((await post(ctx.system.baseUrl, huge)).status, 401);
    assert.equal((await post(ctx.system.baseUrl, huge, { authorization: `Bearer ${ctx.tenant.token}` })).status, 413);
  });

  it('answers 429 with Retry-After once a source failed to authenticate too often, before looking at its token', async () => {
    const app = await serveApp({ ...ctx.system.deps, authFailuresPerMinute: 5 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await post(app.baseUrl, '{}')).status);
      const signIn = await fetch(`${app.baseUrl}/dashboard/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'th_wrong' }),
      });
      statuses.push(signIn.status);
      const limited = await post(app.baseUrl, '{}', { authorization: 'Bearer th_unknown' });
      statuses.push(limited.status);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429], 'a failed dashboard sign-in counts too');
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.match(limited.json.message, /Too many failed authentications/);
      const valid = await post(app.baseUrl, '{"name":"x"}', { authorization: `Bearer ${ctx.tenant.token}` });
      assert.equal(valid.status, 429, 'a blocked source is refused before any lookup, even with a valid token');
      assert.equal(
        (await post(ctx.system.baseUrl, '{"name":"x"}', { authorization: `Bearer ${ctx.tenant.token}` })).status,
        201,
        'the limit is per process (the test system has none)',
      );
    } finally {
      await app.close();
    }
  });

  it('counts by the client address that a trusted proxy reports (TRUST_PROXY)', async () => {
    const app = await serveApp({ ...ctx.system.deps, authFailuresPerMinute: 2, trustProxy: ['loopback'] });
    try {
      const from = (client: string) => post(app.baseUrl, '{}', { 'x-forwarded-for': client });
      assert.deepEqual(
        [(await from('203.0.113.1')).status, (await from('203.0.113.1')).status, (await from('203.0.113.1')).status],
        [401, 401, 429],
      );
      assert.equal((await from('203.0.113.2')).status, 401, 'another client behind the same proxy is not limited');
    } finally {
      await app.close();
    }
  });
});
