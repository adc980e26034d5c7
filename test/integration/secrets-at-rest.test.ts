import assert from 'node:assert/strict';
import { verifyWebhookSignature } from '../../src/signature/verify-signature';
import { hashApiToken } from '../../src/tenancy/api-token';
import { createTenant } from '../support/system/fixtures';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { startTestSystem, type TestSystem } from '../support/system/test-system';

describe('secrets at rest', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let receiver: TestReceiver;

  before(async () => {
    system = await startTestSystem({ temporal: 'time-skipping' });
    receiver = await startTestReceiver();
  });

  after(async () => {
    await receiver?.close();
    await system?.close();
  });

  it('stores webhook secrets encrypted (current and previous) and still signs with them', async () => {
    const tenant = await createTenant(system.database.db);
    const created = await system.api('POST', '/v1/webhooks', {
      token: tenant.token,
      body: { route_id: tenant.routeId, name: 'enc', url: receiver.url, events: ['message.sent'] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, secret } = created.body.data;
    const rotated = await system.api('POST', `/v1/webhooks/${id}/regenerate-secret`, {
      token: tenant.token,
      body: { grace_period_seconds: 600 },
    });
    const newSecret = rotated.body.data.secret;

    const row = await system.database.db('webhooks').where({ id }).first();
    for (const [stored, clear] of [
      [row.secret, newSecret],
      [row.previous_secret, secret],
    ]) {
      assert.match(stored, /^enc:v1:/);
      assert.ok(!stored.includes(clear.slice(6)), 'no part of the secret in clear');
    }

    const triggered = await system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event: 'message.sent', data: {} },
    });
    await system.client.workflow.getHandle(triggered.body.data.deliveries[0].workflow_id).result();
    const request = receiver.requests.at(-1)!;
    for (const key of [secret, newSecret]) {
      verifyWebhookSignature({
        payload: request.body,
        signatureHeader: String(request.headers['x-lettermint-signature']),
        secret: key,
      });
    }
  });

  it('stores API tokens only as their SHA-256 hash', async () => {
    const tenant = await createTenant(system.database.db);
    const rows = await system.database.db('api_tokens').where({ team_id: tenant.teamId });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].token_hash, hashApiToken(tenant.token));
    assert.ok(!JSON.stringify(rows).includes(tenant.token));
  });
});
