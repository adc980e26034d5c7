import assert from 'node:assert/strict';
import { verifyWebhookSignature } from '../../src/signature/verify-signature';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { TEST_USER_AGENT } from '../support/system/test-system';
import { useTestSystem } from '../support/system/use-test-system';

describe('end to end on the Temporal dev server', function () {
  this.timeout(120_000);
  const ctx = useTestSystem({ temporal: 'dev-server', receiver: true });

  it('turns an HTTP trigger into a signed POST that verifies, and serves the history over the API', async () => {
    const tenant = await createTenant(ctx.system.database.db);
    const webhook = await createWebhookRow(ctx.system.database.db, {
      teamId: tenant.teamId,
      routeId: tenant.routeId,
      url: ctx.receiver.url,
      events: ['message.delivered', 'message.hard_bounced'],
    });

    const data = { message_id: 'msg-1', to: 'jürgen@example.com', url: 'https://example.com/a/b' };
    const triggered = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: {
        route_id: tenant.routeId,
        event: 'message.delivered',
        data,
        id: 'evt-e2e-1',
        timestamp: '2026-01-02T03:04:05.000Z',
      },
    });
    assert.equal(triggered.status, 202, JSON.stringify(triggered.body));
    assert.equal(triggered.body.data.id, 'evt-e2e-1');
    const [delivery] = triggered.body.data.deliveries;
    assert.equal(delivery.webhook_id, webhook.id);

    const [request] = await ctx.receiver.waitForRequests(1);
    const expectedBody = JSON.stringify({
      id: 'evt-e2e-1',
      event: 'message.delivered',
      timestamp: '2026-01-02T03:04:05.000Z',
      data,
      context: { scope: 'route', team_id: tenant.teamId, project_id: tenant.projectId, route_id: tenant.routeId },
    });
    assert.equal(request!.body, expectedBody, 'body is the compact envelope, slashes and non-ASCII unescaped');
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers['x-lettermint-event'], 'message.delivered');
    assert.equal(request!.headers['x-lettermint-attempt'], '1');
    assert.equal(request!.headers['user-agent'], TEST_USER_AGENT);
    const signature = String(request!.headers['x-lettermint-signature']);
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
    const { timestamp } = verifyWebhookSignature({
      payload: request!.body,
      signatureHeader: signature,
      secret: webhook.secret,
    });
    assert.equal(request!.headers['x-lettermint-delivery'], String(timestamp));
    assert.ok(Math.abs(timestamp - Date.now() / 1000) < 60);

    const outcome = await ctx.system.client.workflow.getHandle(delivery.workflow_id).result();
    assert.deepEqual(outcome, { status: 'success', attempts: 1 });

    const view = await ctx.system.api('GET', `/v1/deliveries/${delivery.id}`, { token: tenant.token });
    assert.equal(view.status, 200);
    assert.equal(view.body.status, 'success');
    assert.equal(view.body.event_id, 'evt-e2e-1');
    assert.equal(view.body.workflow_id, delivery.workflow_id);
    assert.match(view.body.temporal_ui_url, /\/namespaces\/default\/workflows\/delivery%3Amessage\.delivered%3A/);
    assert.equal(view.body.attempts.length, 1);
    assert.equal(view.body.attempts[0].status, 'success');
    assert.equal(view.body.attempts[0].http_status_code, 200);
    assert.equal(view.body.next_attempt_at, null);

    const attempt = await ctx.system.database.db('attempts').where({ delivery_id: delivery.id }).first();
    assert.equal(attempt.request_headers['X-Lettermint-Signature'], signature);
    assert.equal(attempt.response_body, '{"received":true}');
  });
});
