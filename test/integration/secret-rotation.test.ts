import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { webhookWithSecretSchema } from '../../src/api/schemas/webhook-schemas';
import { computeSignature } from '../../src/signature/sign-payload';
import { verifyWebhookSignature, WebhookVerificationError } from '../../src/signature/verify-signature';
import { createPendingDelivery, createTenant, readWebhookSecret } from '../support/system/fixtures';
import type { ReceivedRequest } from '../support/system/test-receiver';
import { expectStatus, expectValidation } from '../support/system/api-assertions';
import { useTestSystem } from '../support/system/use-test-system';

/** `t` and every `v1` of the signature header, in order. */
function signatureParts(request: ReceivedRequest): { t: number; v1: string[] } {
  const parts = String(request.headers['x-lettermint-signature']).split(',');
  return { t: Number(parts[0]!.slice(2)), v1: parts.slice(1).map((part) => part.replace(/^v1=/, '')) };
}

/** What a receiver does with the shipped verifier: true when the request verifies with this secret. */
function verifiesWith(request: ReceivedRequest, secret: string): boolean {
  try {
    verifyWebhookSignature({
      payload: request.body,
      signatureHeader: request.headers['x-lettermint-signature'] as string,
      secret,
    });
    return true;
  } catch (err) {
    assert.ok(err instanceof WebhookVerificationError);
    assert.equal(err.code, 'signature_mismatch');
    return false;
  }
}

describe('secret rotation (POST /v1/webhooks/{id}/regenerate-secret)', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });
  const { api } = ctx;

  beforeEach(() => {
    ctx.receiver.requests.length = 0;
    ctx.receiver.answer = () => ({ status: 200 });
  });

  async function createWebhook() {
    const response = await api('POST', '/v1/webhooks', {
      route_id: ctx.tenant.routeId,
      name: 'Rotating',
      url: ctx.receiver.url,
      events: ['message.sent'],
    });
    expectStatus(response, 201);
    return response.body.data as { id: string; secret: string };
  }

  async function rotate(webhookId: string, body?: unknown): Promise<string> {
    const response = await api('POST', `/v1/webhooks/${webhookId}/regenerate-secret`, body);
    expectStatus(response, 200);
    assert.equal(response.body.message, 'Webhook secret regenerated successfully. Please update your integration.');
    return webhookWithSecretSchema.parse(response.body.data).secret;
  }

  /** Sends a test webhook and answers the request the receiver got for it. */
  async function receiveTest(webhookId: string): Promise<ReceivedRequest> {
    const already = ctx.receiver.requests.length;
    expectStatus(await api('POST', `/v1/webhooks/${webhookId}/test`), 200);
    const requests = await ctx.receiver.waitForRequests(already + 1);
    return requests[already]!;
  }

  it('without a grace period, signs from now on with the new secret only', async () => {
    const webhook = await createWebhook();
    const response = await api('POST', `/v1/webhooks/${webhook.id}/regenerate-secret`);
    expectStatus(response, 200);
    const rotated = webhookWithSecretSchema.parse(response.body.data);
    assert.equal(rotated.id, webhook.id);
    assert.notEqual(rotated.secret, webhook.secret);
    assert.match(rotated.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal('secret' in (await api('GET', `/v1/webhooks/${webhook.id}`)).body, false, 'shown once only');

    const request = await receiveTest(webhook.id);
    assert.equal(signatureParts(request).v1.length, 1);
    assert.equal(verifiesWith(request, rotated.secret), true);
    assert.equal(verifiesWith(request, webhook.secret), false);
  });

  it('with a grace period, signs with the old and the new secret, the new one last', async () => {
    const webhook = await createWebhook();
    const fresh = await rotate(webhook.id, { grace_period_seconds: 3600 });

    const request = await receiveTest(webhook.id);
    const { t, v1 } = signatureParts(request);
    assert.deepEqual(v1, [computeSignature(webhook.secret, t, request.body), computeSignature(fresh, t, request.body)]);
    assert.equal(verifiesWith(request, webhook.secret), true, 'receivers still on the old secret keep working');
    assert.equal(verifiesWith(request, fresh), true, 'receivers already on the new secret work');
    assert.equal(verifiesWith(request, `whsec_${randomUUID()}`), false);
  });

  it('keeps only the secret replaced last during a grace period, and stops using it when the grace ends', async () => {
    const webhook = await createWebhook();
    const second = await rotate(webhook.id, { grace_period_seconds: 3600 });
    const third = await rotate(webhook.id, { grace_period_seconds: 1 });

    const during = await receiveTest(webhook.id);
    assert.equal(signatureParts(during).v1.length, 2);
    assert.equal(verifiesWith(during, second), true);
    assert.equal(verifiesWith(during, third), true);
    assert.equal(verifiesWith(during, webhook.secret), false, 'a second rotation ends the first grace');

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = await receiveTest(webhook.id);
    assert.equal(signatureParts(after).v1.length, 1);
    assert.equal(verifiesWith(after, third), true);
    assert.equal(verifiesWith(after, second), false);
  });

  it('applies a new secret to the next attempt of a delivery already under way', async () => {
    ctx.receiver.answer = (_request, index) => (index === 0 ? { status: 500 } : { status: 200 });
    const webhook = await createWebhook();
    const sent = await api('POST', `/v1/webhooks/${webhook.id}/test`);
    expectStatus(sent, 200);
    const [first] = await ctx.receiver.waitForRequests(1);
    assert.equal(verifiesWith(first!, webhook.secret), true);

    const fresh = await rotate(webhook.id, {});
    const attempt = (await api('GET', `/v1/webhooks/${webhook.id}/deliveries/${sent.body.delivery_id}`)).body;
    const workflowId = (await ctx.system.database.db('deliveries').where({ id: attempt.delivery_id }).first())
      .workflow_id;
    // The time-skipping server fires the one-minute retry timer at once while we wait for the result.
    await ctx.system.client.workflow.getHandle(workflowId).result();

    const second = ctx.receiver.requests[1]!;
    assert.equal(second.headers['x-lettermint-attempt'], '2');
    assert.equal(second.body, first!.body, 'same bytes, signed afresh');
    assert.equal(verifiesWith(second, fresh), true);
    assert.equal(verifiesWith(second, webhook.secret), false);
  });

  it('rejects a grace period outside 0..604800 whole seconds and unknown fields with 422', async () => {
    const webhook = await createWebhook();
    const cases: Array<[unknown, string]> = [
      [{ grace_period_seconds: -1 }, 'The grace period seconds field must be at least 0.'],
      [{ grace_period_seconds: 604_801 }, 'The grace period seconds field must not be greater than 604800.'],
      [{ grace_period_seconds: 1.5 }, 'The grace period seconds field must be an integer.'],
      [{ grace_period_seconds: '60' }, 'The grace period seconds field must be a number.'],
    ];
    for (const [body, message] of cases) {
      const response = await api('POST', `/v1/webhooks/${webhook.id}/regenerate-secret`, body);
      expectStatus(response, 422);
      assert.deepEqual(response.body.errors, { grace_period_seconds: [message] }, JSON.stringify(body));
    }
    const unknown = await api('POST', `/v1/webhooks/${webhook.id}/regenerate-secret`, { grace: 5 });
    expectValidation(unknown, { grace: ['The grace field is not allowed.'] });
    assert.equal(
      await readWebhookSecret(ctx.system.database.db, ctx.tenant.teamId, webhook.id),
      webhook.secret,
      'a refused rotation changes nothing',
    );

    const fresh = await rotate(webhook.id, { grace_period_seconds: 604_800 });
    // Signing secrets as an attempt reads them: both for a week, then only the new one.
    const pending = await createPendingDelivery(ctx.system.database.db, { ...ctx.tenant, webhookId: webhook.id });
    const secretsIn = async (ms: number) => {
      const plan = await ctx.system.stores.attemptPlans.load(pending.deliveryId, 1, new Date(Date.now() + ms));
      return plan?.target.state === 'active' ? plan.target.secrets : [];
    };
    assert.deepEqual(await secretsIn(604_700_000), [webhook.secret, fresh]);
    assert.deepEqual(await secretsIn(604_801_000), [fresh]);
  });

  it("answers 404 for an unknown webhook, a deleted one, or another team's, and rotates nothing", async () => {
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
      const response = await api('POST', `/v1/webhooks/${id}/regenerate-secret`, { grace_period_seconds: 10 });
      expectStatus(response, 404);
      assert.deepEqual(response.body, { message: 'Webhook not found.' });
    }
    assert.equal(await readWebhookSecret(ctx.system.database.db, other.teamId, theirs.id), theirs.secret);
  });
});
