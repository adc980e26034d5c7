import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { attemptDetailSchema, attemptSummarySchema } from '../../src/api/schemas/webhook-delivery-schemas';
import { testDeliveryResponseSchema } from '../../src/api/schemas/webhook-schemas';
import { verifyWebhookSignature } from '../../src/signature/verify-signature';
import { createTenant } from '../support/system/fixtures';
import { startTestReceiver } from '../support/system/test-receiver';
import { expectStatus } from '../support/system/api-assertions';
import { useTestSystem } from '../support/system/use-test-system';

describe('test deliveries (POST /v1/webhooks/{id}/test)', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });
  const { api } = ctx;

  beforeEach(() => {
    ctx.receiver.requests.length = 0;
    ctx.receiver.answer = () => ({ status: 200, body: '{"received":true}' });
  });

  async function createWebhook(overrides: Record<string, unknown> = {}) {
    const response = await api('POST', '/v1/webhooks', {
      route_id: ctx.tenant.routeId,
      name: 'Hook',
      url: ctx.receiver.url,
      events: ['message.delivered'],
      ...overrides,
    });
    expectStatus(response, 201);
    return response.body.data as { id: string; secret: string; url: string };
  }

  /** Reads the attempt record until it is no longer pending. */
  async function settledAttempt(webhookId: string, attemptId: string) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await api('GET', `/v1/webhooks/${webhookId}/deliveries/${attemptId}`);
      expectStatus(response, 200);
      if (response.body.status !== 'pending') return attemptDetailSchema.parse(response.body);
      assert.ok(Date.now() < deadline, 'the test attempt never finished');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('sends a signed webhook.test to that webhook only, even though it does not subscribe to it', async () => {
    const target = await createWebhook({ url: `${ctx.receiver.url}/target`, events: ['message.delivered'] });
    await createWebhook({ url: `${ctx.receiver.url}/bystander`, events: ['webhook.test', 'message.delivered'] });

    const before = Math.floor(Date.now() / 1000);
    const response = await api('POST', `/v1/webhooks/${target.id}/test`);
    expectStatus(response, 200);
    const answer = testDeliveryResponseSchema.parse(response.body);
    assert.equal(answer.message, 'Test webhook dispatched successfully. Check the deliveries endpoint for results.');

    const attempt = await settledAttempt(target.id, answer.delivery_id);
    assert.equal(attempt.status, 'success');
    assert.equal(attempt.http_status_code, 200);
    assert.equal(attempt.event_type, 'webhook.test');
    assert.equal(ctx.receiver.requests.length, 1);
    const [request] = ctx.receiver.requests;
    assert.equal(request!.path, '/hook/target');

    const envelope = JSON.parse(request!.body);
    assert.deepEqual(Object.keys(envelope), ['id', 'event', 'timestamp', 'data', 'context']);
    assert.deepEqual(envelope.context, {
      scope: 'route',
      team_id: ctx.tenant.teamId,
      project_id: ctx.tenant.projectId,
      route_id: ctx.tenant.routeId,
    });
    assert.match(envelope.id, /^[A-Za-z0-9_-]{1,128}$/, 'the generated id fits the caller-id pattern');
    assert.match(envelope.id, /^test-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(envelope.event, 'webhook.test');
    assert.equal(envelope.timestamp, new Date(envelope.timestamp).toISOString());
    assert.deepEqual(envelope.data, {
      message: 'This is a test webhook from Lettermint',
      webhook_id: target.id,
      timestamp: Math.floor(Date.parse(envelope.timestamp) / 1000),
    });
    assert.ok(envelope.data.timestamp >= before && envelope.data.timestamp <= Math.floor(Date.now() / 1000));
    assert.deepEqual(attempt.payload, envelope);
    assert.equal(attempt.event_id, envelope.id);

    assert.equal(request!.headers['x-lettermint-event'], 'webhook.test');
    assert.equal(request!.headers['x-lettermint-attempt'], '1');
    verifyWebhookSignature({
      payload: request!.body,
      signatureHeader: request!.headers['x-lettermint-signature'] as string,
      secret: target.secret,
    });
  });

  it('answers with the attempt id, readable at once as pending, and later with its outcome', async () => {
    const slow = await startTestReceiver();
    try {
      slow.answer = () => 'hang';
      const webhook = await createWebhook({ url: slow.url });
      const response = await api('POST', `/v1/webhooks/${webhook.id}/test`);
      expectStatus(response, 200);
      const attemptId = response.body.delivery_id;

      const atOnce = await api('GET', `/v1/webhooks/${webhook.id}/deliveries/${attemptId}`);
      expectStatus(atOnce, 200);
      assert.equal(atOnce.body.status, 'pending');
      assert.equal(atOnce.body.attempt_number, 1);
      assert.equal(atOnce.body.delivered_at, null);
      assert.equal(atOnce.body.payload.event, 'webhook.test');

      await slow.waitForRequests(1);
      assert.equal(
        (await api('GET', `/v1/webhooks/${webhook.id}/deliveries/${attemptId}`)).body.status,
        'pending',
        'still in flight',
      );
      // The receiver goes away mid-request: the attempt is recorded as failed with the reason.
      await slow.close();
      const attempt = await settledAttempt(webhook.id, attemptId);
      assert.equal(attempt.status, 'failed');
      assert.ok(attempt.error_message);

      const delivery = await api('GET', `/v1/deliveries/${attempt.delivery_id}`);
      expectStatus(delivery, 200);
      assert.equal(delivery.body.event_type, 'webhook.test');
      assert.equal(delivery.body.status, 'pending', 'a test delivery is retried like any other');
      // Stops the retry this left waiting.
      expectStatus(await api('DELETE', `/v1/webhooks/${webhook.id}`), 200);
    } finally {
      await slow.close().catch(() => undefined);
    }
  });

  it("lists the test attempt in the webhook's deliveries", async () => {
    const webhook = await createWebhook();
    const attemptId = (await api('POST', `/v1/webhooks/${webhook.id}/test`)).body.delivery_id;
    await settledAttempt(webhook.id, attemptId);
    const list = await api('GET', `/v1/webhooks/${webhook.id}/deliveries?filter[event_type]=webhook.test`);
    expectStatus(list, 200);
    assert.deepEqual(
      list.body.data.map((a: unknown) => attemptSummarySchema.parse(a).id),
      [attemptId],
    );
  });

  it('sends each test as a new event with its own id', async () => {
    const webhook = await createWebhook();
    const first = (await api('POST', `/v1/webhooks/${webhook.id}/test`)).body.delivery_id;
    const second = (await api('POST', `/v1/webhooks/${webhook.id}/test`)).body.delivery_id;
    assert.notEqual(first, second);
    const [a, b] = [await settledAttempt(webhook.id, first), await settledAttempt(webhook.id, second)];
    assert.notEqual(a.event_id, b.event_id);
    assert.notEqual(a.delivery_id, b.delivery_id);
  });

  it('refuses a disabled webhook with 422 and sends nothing', async () => {
    const webhook = await createWebhook({ enabled: false });
    const response = await api('POST', `/v1/webhooks/${webhook.id}/test`);
    expectStatus(response, 422);
    assert.deepEqual(response.body, {
      message: 'The webhook is disabled. Enable it before sending a test webhook.',
      errors: { enabled: ['The webhook is disabled. Enable it before sending a test webhook.'] },
    });
    const attempts = await ctx.system.database.db('attempts').where({ webhook_id: webhook.id });
    assert.equal(attempts.length, 0);
    assert.equal(ctx.receiver.requests.length, 0);
  });

  it("answers 404 for an unknown webhook, a deleted one, or another team's", async () => {
    const other = await createTenant(ctx.system.database.db);
    const theirs = (
      await api(
        'POST',
        '/v1/webhooks',
        { route_id: other.routeId, name: 'Theirs', url: ctx.receiver.url, events: ['message.sent'] },
        other.token,
      )
    ).body.data;
    const deleted = await createWebhook();
    expectStatus(await api('DELETE', `/v1/webhooks/${deleted.id}`), 200);
    for (const id of [randomUUID(), theirs.id, deleted.id]) {
      const response = await api('POST', `/v1/webhooks/${id}/test`);
      expectStatus(response, 404);
      assert.deepEqual(response.body, { message: 'Webhook not found.' });
    }
    assert.equal(ctx.receiver.requests.length, 0);
  });
});
