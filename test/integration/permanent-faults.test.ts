import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { encryptBasicAuth } from '../../src/secrets/basic-auth-credentials';
import { SecretCipher } from '../../src/secrets/secret-cipher';
import { generateWebhookSecret } from '../../src/signature/sign-payload';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import { DELIVERY_FAILED_ERROR_TYPE } from '../../workflows/delivery-workflow-input';
import { assertPostgresAgreesWithTemporal } from '../support/system/attempt-history';
import { createWebhookRow } from '../support/system/fixtures';
import { metricSample } from '../support/system/metric-sample';
import { useTestSystem } from '../support/system/use-test-system';
import { waitFor } from '../support/system/wait-until';

const EventType = temporal.api.enums.v1.EventType;

describe('faults no retry mends end visibly (time-skipping Temporal server)', function () {
  this.timeout(120_000);

  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });

  const scrape = () => ctx.system.scrapeMetrics();
  const faults = (text: string, fault: string) =>
    metricSample(text, 'tidehook_attempt_faults_total', `fault="${fault}"`);

  /** A webhook on its own event type, so no other test's trigger reaches it. */
  async function webhookFor(event: string, path: string) {
    return createWebhookRow(ctx.system.database.db, {
      ...ctx.tenant,
      url: `${ctx.receiver.url}/${path}`,
      events: [event],
    });
  }

  async function trigger(event: string): Promise<{ id: string; workflow_id: string }> {
    const response = await ctx.system.api('POST', '/v1/events', {
      token: ctx.tenant.token,
      body: { route_id: ctx.tenant.routeId, event, data: {} },
    });
    assert.equal(response.status, 202, JSON.stringify(response.body));
    assert.equal(response.body.data.deliveries.length, 1);
    return response.body.data.deliveries[0];
  }

  /** The workflow's end: the ApplicationFailure a failed delivery ends with. */
  async function failure(workflowId: string): Promise<ApplicationFailure> {
    let cause: unknown;
    await assert.rejects(ctx.system.client.workflow.getHandle(workflowId).result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      cause = err.cause;
      return true;
    });
    assert.ok(cause instanceof ApplicationFailure);
    return cause;
  }

  it('records an attempt whose secret cannot be decrypted as failed, sends nothing, counts it, and keeps to the schedule until the delivery fails', async () => {
    const webhook = await webhookFor('message.hard_bounced', 'wrong-key');
    // The secret as a worker with another SECRET_ENCRYPTION_KEY wrote it (a rotated or mistyped key).
    const otherKey = new SecretCipher(Buffer.alloc(32, 0x17));
    await ctx.system.database
      .db('webhooks')
      .where({ id: webhook.id })
      .update({ secret: otherKey.encrypt(generateWebhookSecret()) });
    const before = await scrape();

    const delivery = await trigger('message.hard_bounced');
    const ended = await failure(delivery.workflow_id);
    assert.equal(ended.type, DELIVERY_FAILED_ERROR_TYPE);
    assert.match(ended.message, /failed after 12 attempts \(last: failed\)/);

    assert.equal(ctx.receiver.requests.filter((r) => r.path.endsWith('/wrong-key')).length, 0, 'nothing was POSTed');
    const attempts = await ctx.system.database
      .db('attempts')
      .where({ delivery_id: delivery.id })
      .orderBy('attempt_number');
    assert.deepEqual(
      attempts.map((a) => a.attempt_number),
      DELIVERY_SCHEDULE.map((_, i) => i + 1),
    );
    for (const attempt of attempts) {
      assert.equal(attempt.status, 'failed');
      assert.equal(attempt.http_status_code, null);
      assert.match(attempt.error_message, /^not sent: the signing secret cannot be decrypted/);
      assert.deepEqual(attempt.request_headers, {}, 'no request was built');
    }
    const row = await ctx.system.database.db('deliveries').where({ id: delivery.id }).first();
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts_count, 12);

    // Visible to the customer too: the delivery failed, and each attempt record says why.
    const view = await ctx.system.api('GET', `/v1/deliveries/${delivery.id}`, { token: ctx.tenant.token });
    assert.equal(view.status, 200);
    assert.equal(view.body.status, 'failed');
    const record = await ctx.system.api('GET', `/v1/webhooks/${webhook.id}/deliveries/${view.body.attempts[0].id}`, {
      token: ctx.tenant.token,
    });
    assert.equal(record.status, 200);
    assert.equal(record.body.status, 'failed');
    assert.match(record.body.error_message, /secret cannot be decrypted with the configured keys/);

    const after = await scrape();
    assert.equal(faults(after, 'secret_unreadable') - faults(before, 'secret_unreadable'), 12);

    const handle = ctx.system.client.workflow.getHandle(delivery.workflow_id);
    const agreement = await assertPostgresAgreesWithTemporal(ctx.system.database.db, handle, delivery.id);
    // One try each, in the fast lane: a fault is an outcome, not an error to retry.
    assert.ok(agreement.attempts.every((a) => a.lane === 'fast' && a.fastFailures === 0));
    const timers = ((await handle.fetchHistory()).events ?? [])
      .filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)
      .map((e) => {
        const timeout = e.timerStartedEventAttributes!.startToFireTimeout!;
        return Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6);
      });
    assert.deepEqual(timers, DELIVERY_SCHEDULE.slice(1), 'the schedule went on as for any failed attempt');
  });

  it('treats Basic Auth credentials no configured key decrypts as an undecryptable secret: recorded failed, nothing sent', async () => {
    const webhook = await createWebhookRow(ctx.system.database.db, {
      ...ctx.tenant,
      url: `${ctx.receiver.url}/basic-auth-wrong-key`,
      events: ['message.spam_complaint'],
      basicAuth: { username: 'u', password: 'p' },
    });
    const otherKey = new SecretCipher(Buffer.alloc(32, 0x29));
    await ctx.system.database
      .db('webhooks')
      .where({ id: webhook.id })
      .update({ basic_auth: encryptBasicAuth(otherKey, { username: 'u', password: 'p' }) });
    const before = await scrape();

    const delivery = await trigger('message.spam_complaint');
    const ended = await failure(delivery.workflow_id);
    assert.equal(ended.type, DELIVERY_FAILED_ERROR_TYPE);

    assert.equal(ctx.receiver.requests.filter((r) => r.path.endsWith('/basic-auth-wrong-key')).length, 0, 'not sent');
    const attempts = await ctx.system.database.db('attempts').where({ delivery_id: delivery.id });
    assert.equal(attempts.length, DELIVERY_SCHEDULE.length);
    for (const attempt of attempts) {
      assert.equal(attempt.status, 'failed');
      assert.equal(
        attempt.error_message,
        'not sent: the Basic Auth credentials cannot be decrypted with the configured keys (SECRET_ENCRYPTION_KEY)',
      );
      assert.deepEqual(attempt.request_headers, {}, 'no request was built');
    }
    const after = await scrape();
    assert.equal(faults(after, 'secret_unreadable') - faults(before, 'secret_unreadable'), DELIVERY_SCHEDULE.length);
  });

  it('stops a delivery whose event row is gone as failed, with the reason, and counts it', async () => {
    await webhookFor('message.soft_bounced', 'event-gone');
    ctx.receiver.answer = (request) => (request.path.endsWith('/event-gone') ? { status: 503 } : { status: 200 });
    const before = await scrape();
    const delivery = await trigger('message.soft_bounced');
    // The time-skipping server holds attempt 2's timer until the test waits on the result.
    await waitFor(
      async () => (await ctx.system.database.db('deliveries').where({ id: delivery.id }).first()).attempts_count === 1,
    );
    const { event_id: eventId } = await ctx.system.database.db('deliveries').where({ id: delivery.id }).first();
    // What no code path does (a pending delivery's event is never deleted): only a broken database or a hand.
    await ctx.system.database.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx('events').where({ id: eventId }).delete();
    });

    const ended = await failure(delivery.workflow_id);
    assert.equal(ended.type, DELIVERY_FAILED_ERROR_TYPE);
    assert.equal(ended.message, 'the event record is missing');

    const row = await ctx.system.database.db('deliveries').where({ id: delivery.id }).first();
    assert.equal(row.status, 'failed');
    assert.equal(row.status_reason, 'the event record is missing');
    assert.equal(row.next_attempt_at, null);
    assert.ok(row.finished_at);
    assert.equal(ctx.receiver.requests.filter((r) => r.path.endsWith('/event-gone')).length, 1, 'attempt 1 only');
    const after = await scrape();
    assert.equal(faults(after, 'event_missing') - faults(before, 'event_missing'), 1);

    const handle = ctx.system.client.workflow.getHandle(delivery.workflow_id);
    const agreement = await assertPostgresAgreesWithTemporal(ctx.system.database.db, handle, delivery.id);
    assert.deepEqual(
      agreement.attempts.map((a) => [a.attemptNumber, a.outcome.kind, a.lane, a.fastFailures]),
      [
        [1, 'sent', 'fast', 0],
        [2, 'stopped', 'fast', 0],
      ],
      'attempt 2 stopped at its first try',
    );
  });
});
