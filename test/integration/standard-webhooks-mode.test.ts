import assert from 'node:assert/strict';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { webhookWithSecretSchema } from '../../src/api/schemas/webhook-schemas';
import { verifyStandardWebhook, verifyWebhookSignature } from '../../src/signature';
import { createWebhookRow } from '../support/system/fixtures';
import type { ReceivedRequest } from '../support/system/test-receiver';
import { expectStatus, expectValidation } from '../support/system/api-assertions';
import { useTestSystem } from '../support/system/use-test-system';

/** The headers a Standard Webhooks receiver reads, as the real `standardwebhooks` package wants them. */
function standardHeaders(request: ReceivedRequest): Record<string, string> {
  return {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  };
}

/** Both receivers, the `standardwebhooks` package and the shipped Lettermint verifier, accept the request. */
function assertBothVerify(request: ReceivedRequest, secret: string): void {
  const envelope = JSON.parse(request.body) as { id: string };
  assert.deepEqual(new StandardWebhook(secret).verify(request.body, standardHeaders(request)), envelope);
  verifyWebhookSignature({
    payload: request.body,
    signatureHeader: request.headers['x-lettermint-signature'] as string,
    secret,
  });
  const headers = standardHeaders(request);
  verifyStandardWebhook({
    payload: request.body,
    headers: {
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
    },
    secret,
  });
}

describe('Standard Webhooks mode (signature_scheme: standard_webhooks)', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });
  const { api } = ctx;

  beforeEach(() => {
    ctx.receiver.requests.length = 0;
    ctx.receiver.answer = () => ({ status: 200 });
  });

  async function createWebhook(scheme?: string, events = ['message.sent']) {
    const response = await api('POST', '/v1/webhooks', {
      route_id: ctx.tenant.routeId,
      name: 'Standard',
      url: ctx.receiver.url,
      events,
      ...(scheme !== undefined && { signature_scheme: scheme }),
    });
    expectStatus(response, 201);
    return webhookWithSecretSchema.parse(response.body.data);
  }

  async function receiveTest(webhookId: string): Promise<ReceivedRequest> {
    const already = ctx.receiver.requests.length;
    expectStatus(await api('POST', `/v1/webhooks/${webhookId}/test`), 200);
    const requests = await ctx.receiver.waitForRequests(already + 1);
    return requests[already]!;
  }

  it('defaults to lettermint, shown in JSON, and then sends no webhook-* headers', async () => {
    const webhook = await createWebhook();
    assert.equal(webhook.signature_scheme, 'lettermint');
    assert.equal((await api('GET', `/v1/webhooks/${webhook.id}`)).body.signature_scheme, 'lettermint');
    const request = await receiveTest(webhook.id);
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      assert.equal(request.headers[name], undefined, name);
    }
  });

  it('sends webhook-id (the envelope id), webhook-timestamp (t) and webhook-signature beside X-Lettermint-*', async () => {
    const webhook = await createWebhook('standard_webhooks');
    assert.equal(webhook.signature_scheme, 'standard_webhooks');
    const request = await receiveTest(webhook.id);
    const envelope = JSON.parse(request.body) as { id: string };
    const t = /^t=(\d+),v1=[0-9a-f]{64}$/.exec(String(request.headers['x-lettermint-signature']))?.[1];
    assert.ok(t, 'X-Lettermint-Signature keeps its exact format');
    assert.equal(request.headers['webhook-id'], envelope.id);
    assert.equal(request.headers['webhook-timestamp'], t);
    assert.equal(request.headers['x-lettermint-delivery'], t);
    assert.match(String(request.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}=$/);
    assertBothVerify(request, webhook.secret);
  });

  it('keeps webhook-id (the envelope id) on every retry, and every attempt verifies', async () => {
    // The only webhook of the route subscribed to this type, so the receiver sees this delivery alone.
    const webhook = await createWebhook('standard_webhooks', ['message.failed']);
    let calls = 0;
    ctx.receiver.answer = () => ({ status: (calls += 1) === 1 ? 500 : 200 });
    const response = await api('POST', '/v1/events', {
      route_id: ctx.tenant.routeId,
      event: 'message.failed',
      data: { message_id: 'm-1' },
    });
    expectStatus(response, 202);
    await ctx.receiver.waitForRequests(1);
    await ctx.system.env!.sleep('2m');
    const [first, second] = await ctx.receiver.waitForRequests(2);
    assert.equal(ctx.receiver.requests.length, 2);
    assert.deepEqual([first!.headers['x-lettermint-attempt'], second!.headers['x-lettermint-attempt']], ['1', '2']);
    assert.equal(first!.headers['webhook-id'], second!.headers['webhook-id']);
    assert.equal(first!.headers['webhook-id'], (JSON.parse(first!.body) as { id: string }).id);
    assert.equal(first!.body, second!.body);
    assertBothVerify(first!, webhook.secret);
    assertBothVerify(second!, webhook.secret);
  });

  it('during a rotation grace period signs with the old and the new secret, and both receivers accept either', async () => {
    const webhook = await createWebhook('standard_webhooks');
    const rotated = await api('POST', `/v1/webhooks/${webhook.id}/regenerate-secret`, { grace_period_seconds: 3600 });
    expectStatus(rotated, 200);
    const fresh = webhookWithSecretSchema.parse(rotated.body.data).secret;
    const request = await receiveTest(webhook.id);
    assert.match(String(request.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
    assert.match(String(request.headers['x-lettermint-signature']), /^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    assertBothVerify(request, webhook.secret);
    assertBothVerify(request, fresh);
  });

  it('refuses to switch a webhook with an old-format secret until the secret is regenerated (422 signature_scheme)', async () => {
    const old = await createWebhookRow(ctx.system.database.db, {
      teamId: ctx.tenant.teamId,
      routeId: ctx.tenant.routeId,
      url: ctx.receiver.url,
      events: ['message.sent'],
      secret: 'whsec_' + Buffer.alloc(32, 0xfb).toString('base64url'),
    });
    expectValidation(await api('PUT', `/v1/webhooks/${old.id}`, { signature_scheme: 'standard_webhooks' }), {
      signature_scheme: [
        'The webhook secret predates the whsec_ + base64 format. Regenerate the secret before switching to standard_webhooks.',
      ],
    });
    assert.equal((await api('GET', `/v1/webhooks/${old.id}`)).body.signature_scheme, 'lettermint');
    const oldRequest = await receiveTest(old.id);
    verifyWebhookSignature({
      payload: oldRequest.body,
      signatureHeader: oldRequest.headers['x-lettermint-signature'] as string,
      secret: old.secret,
    });

    const rotated = await api('POST', `/v1/webhooks/${old.id}/regenerate-secret`);
    expectStatus(rotated, 200);
    const fresh = webhookWithSecretSchema.parse(rotated.body.data).secret;
    const switched = await api('PUT', `/v1/webhooks/${old.id}`, { signature_scheme: 'standard_webhooks' });
    expectStatus(switched, 200);
    assert.equal(switched.body.data.signature_scheme, 'standard_webhooks');
    assertBothVerify(await receiveTest(old.id), fresh);
  });

  it('rejects an unknown scheme on create and update', async () => {
    const create = await api('POST', '/v1/webhooks', {
      route_id: ctx.tenant.routeId,
      name: 'Bad',
      url: ctx.receiver.url,
      events: ['message.sent'],
      signature_scheme: 'svix',
    });
    expectStatus(create, 422);
    assert.ok('signature_scheme' in create.body.errors);
    const webhook = await createWebhook();
    const update = await api('PUT', `/v1/webhooks/${webhook.id}`, { signature_scheme: 'svix' });
    expectStatus(update, 422);
    assert.ok('signature_scheme' in update.body.errors);
  });
});
