import assert from 'node:assert/strict';
import { createTenant } from '../support/system/fixtures';
import { rawHttpRequest } from '../support/system/raw-http';
import { serveApp } from '../support/system/serve-app';
import { startTestSystem, type TestSystem } from '../support/system/test-system';

describe('the Host header (audit 11)', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let token: string;

  before(async () => {
    system = await startTestSystem({ temporal: 'time-skipping' });
    token = (await createTenant(system.database.db)).token;
  });

  after(async () => {
    await system?.close();
  });

  const get = (baseUrl: string, host: string, path = '/v1/projects') =>
    rawHttpRequest(baseUrl, [`GET ${path} HTTP/1.1`, `Host: ${host}`, `Authorization: Bearer ${token}`]);

  it('answers 400 with a JSON message, never a 500, to a malformed Host on list endpoints and elsewhere', async () => {
    for (const host of ['[', 'a b', 'x:99999', 'exa mple.com:80', '[::1', 'host:port', 'a/b', '-']) {
      for (const path of ['/v1/projects', '/v1/webhooks', '/healthz']) {
        const answer = await get(system.baseUrl, host, path);
        assert.equal(answer.status, 400, `Host: ${host} on ${path} answered ${answer.status} ${answer.body}`);
        assert.deepEqual(JSON.parse(answer.body), {
          message: 'Malformed Host header.',
          error: 'Malformed Host header.',
        });
      }
    }
  });

  it('builds page URLs on a well-formed Host when PUBLIC_BASE_URL is unset', async () => {
    for (const host of ['127.0.0.1:3000', 'hooks.example.com', '[::1]:8080']) {
      const answer = await get(system.baseUrl, host);
      assert.equal(answer.status, 200, answer.body);
      assert.equal(JSON.parse(answer.body).path, `http://${host}/v1/projects`);
    }
  });

  it('builds page URLs on PUBLIC_BASE_URL whatever the Host says', async () => {
    const app = await serveApp({ ...system.deps, publicBaseUrl: 'https://hooks.example.com/' });
    try {
      const answer = await get(app.baseUrl, 'evil.example');
      assert.equal(answer.status, 200, answer.body);
      assert.equal(JSON.parse(answer.body).path, 'https://hooks.example.com/v1/projects');
      assert.equal((await get(app.baseUrl, 'a b')).status, 400);
    } finally {
      await app.close();
    }
  });
});
