import assert from 'node:assert/strict';
import { verifyWebhookSignature } from '../../src/signature/verify-signature';
import { hashApiToken } from '../../src/tenancy/api-token';
import { createTenant } from '../support/system/fixtures';
import { useTestSystem } from '../support/system/use-test-system';

describe('secrets at rest', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true });

  it('stores webhook secrets encrypted (current and previous) and still signs with them', async () => {
    const tenant = await createTenant(ctx.system.database.db);
    const created = await ctx.system.api('POST', '/v1/webhooks', {
      token: tenant.token,
      body: { route_id: tenant.routeId, name: 'enc', url: ctx.receiver.url, events: ['message.sent'] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, secret } = created.body.data;
    const rotated = await ctx.system.api('POST', `/v1/webhooks/${id}/regenerate-secret`, {
      token: tenant.token,
      body: { grace_period_seconds: 600 },
    });
    const newSecret = rotated.body.data.secret;

    const row = await ctx.system.database.db('webhooks').where({ id }).first();
    for (const [stored, clear] of [
      [row.secret, newSecret],
      [row.previous_secret, secret],
    ]) {
      assert.match(stored, /^enc:v2:[0-9a-f]{8}:/);
      assert.ok(!stored.includes(clear.slice(6)), 'no part of the secret in clear');
    }

    const triggered = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event: 'message.sent', data: {} },
    });
    await ctx.system.client.workflow.getHandle(triggered.body.data.deliveries[0].workflow_id).result();
    const request = ctx.receiver.requests.at(-1)!;
    for (const key of [secret, newSecret]) {
      verifyWebhookSignature({
        payload: request.body,
        signatureHeader: String(request.headers['x-lettermint-signature']),
        secret: key,
      });
    }
  });

  it('stores API tokens only as their SHA-256 hash', async () => {
    const tenant = await createTenant(ctx.system.database.db);
    const rows = await ctx.system.database.db('api_tokens').where({ team_id: tenant.teamId });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].token_hash, hashApiToken(tenant.token));
    assert.ok(!JSON.stringify(rows).includes(tenant.token));
  });
});
