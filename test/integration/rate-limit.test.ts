import assert from 'node:assert/strict';
import { createTenant } from '../support/system/fixtures';
import { useTestSystem } from '../support/system/use-test-system';

describe('per-token rate limit', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', rateLimitPerMinute: 5 });

  it('answers 429 with Retry-After and a JSON message past the limit, per token', async () => {
    const tenant = await createTenant(ctx.system.database.db);
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await ctx.system.api('GET', '/v1/webhooks', { token: tenant.token })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    const limited = await ctx.system.api('GET', '/v1/projects', { token: tenant.token });
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.match(limited.body.message, /at most 5 per minute/);

    const otherToken = await ctx.system.stores.teams.createToken(tenant.teamId, 'second', ['manage']);
    assert.equal(
      (await ctx.system.api('GET', '/v1/webhooks', { token: otherToken })).status,
      200,
      'each token has its own budget',
    );
  });

  it('does not count triggers: POST /v1/events and its batch have a budget of their own', async () => {
    const tenant = await createTenant(ctx.system.database.db);
    const event = { route_id: tenant.routeId, event: 'message.sent', data: {} };
    for (let i = 0; i < 8; i++) {
      const single = await ctx.system.api('POST', '/v1/events', { token: tenant.token, body: event });
      assert.equal(single.status, 202, `trigger ${i + 1}`);
    }
    const batch = await ctx.system.api('POST', '/v1/events/batch', { token: tenant.token, body: { events: [event] } });
    assert.equal(batch.status, 202);
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await ctx.system.api('GET', '/v1/webhooks', { token: tenant.token })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429], 'the management calls still have all 5 of theirs');
  });
});
