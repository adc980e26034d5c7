import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import { DELIVERY_FAILED_ERROR_TYPE } from '../../workflows/delivery-workflow-input';
import { createWebhookRow } from '../support/system/fixtures';
import type { TestSystem } from '../support/system/test-system';
import { useTestSystem } from '../support/system/use-test-system';

const EventType = temporal.api.enums.v1.EventType;

/** Timer durations in ms, in the order the workflow started them. */
async function timerDurations(system: TestSystem, workflowId: string): Promise<number[]> {
  const history = await system.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((event) => event.eventType === EventType.EVENT_TYPE_TIMER_STARTED)
    .map((event) => {
      const timeout = event.timerStartedEventAttributes!.startToFireTimeout!;
      return Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6);
    });
}

describe('delivery schedule (time-skipping Temporal server)', function () {
  this.timeout(120_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });

  beforeEach(() => {
    ctx.receiver.requests.length = 0;
  });

  async function trigger(webhookEvents = ['message.delivered']) {
    const webhook = await createWebhookRow(ctx.system.database.db, {
      teamId: ctx.tenant.teamId,
      routeId: ctx.tenant.routeId,
      url: ctx.receiver.url,
      events: webhookEvents,
    });
    const response = await ctx.api('POST', '/v1/events', {
      route_id: ctx.tenant.routeId,
      event: 'message.delivered',
      data: { message_id: 'm-1' },
    });
    assert.equal(response.status, 202, JSON.stringify(response.body));
    const deliveries = response.body.data.deliveries.filter((d: { webhook_id: string }) => d.webhook_id === webhook.id);
    assert.equal(deliveries.length, 1);
    // Later webhooks on the same route must not receive this test's event: disable this one once triggered.
    return { webhook, delivery: deliveries[0] as { id: string; workflow_id: string } };
  }

  it('gives up after the twelfth attempt, waiting exactly the schedule between attempts, and marks the delivery failed', async () => {
    ctx.receiver.answer = () => ({ status: 500, body: 'down' });
    const { webhook, delivery } = await trigger();

    const handle = ctx.system.client.workflow.getHandle(delivery.workflow_id);
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, DELIVERY_FAILED_ERROR_TYPE);
      return true;
    });

    assert.equal(ctx.receiver.requests.length, 12);
    assert.deepEqual(
      ctx.receiver.requests.map((r) => r.headers['x-lettermint-attempt']),
      DELIVERY_SCHEDULE.map((_, i) => String(i + 1)),
    );
    assert.deepEqual(await timerDurations(ctx.system, delivery.workflow_id), DELIVERY_SCHEDULE.slice(1));
    assert.deepEqual(
      DELIVERY_SCHEDULE.slice(1).map((ms) => ms / 60_000),
      [1, 2, 5, 10, 10, 15, 30, 60, 120, 240, 360],
    );

    const attempts = await ctx.system.database
      .db('attempts')
      .where({ delivery_id: delivery.id })
      .orderBy('attempt_number');
    assert.deepEqual(
      attempts.map((a) => a.attempt_number),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    assert.ok(
      attempts.every((a) => a.status === 'server_error' && a.http_status_code === 500 && a.response_body === 'down'),
    );
    const row = await ctx.system.database.db('deliveries').where({ id: delivery.id }).first();
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts_count, 12);
    assert.equal(row.next_attempt_at, null);
    await ctx.system.database.db('webhooks').where({ id: webhook.id }).update({ enabled: false });
  });

  for (const k of [1, 3]) {
    it(`stops after attempt ${k} when attempt ${k} succeeds`, async () => {
      ctx.receiver.answer = (_req, index) => (index + 1 < k ? { status: 503 } : { status: 204 });
      const { webhook, delivery } = await trigger();

      const outcome = await ctx.system.client.workflow.getHandle(delivery.workflow_id).result();
      assert.deepEqual(outcome, { status: 'success', attempts: k });
      assert.equal(ctx.receiver.requests.length, k);
      assert.deepEqual(await timerDurations(ctx.system, delivery.workflow_id), DELIVERY_SCHEDULE.slice(1, k));

      const attempts = await ctx.system.database
        .db('attempts')
        .where({ delivery_id: delivery.id })
        .orderBy('attempt_number');
      assert.deepEqual(
        attempts.map((a) => a.status),
        [...Array(k - 1).fill('server_error'), 'success'],
      );
      const row = await ctx.system.database.db('deliveries').where({ id: delivery.id }).first();
      assert.equal(row.status, 'success');
      assert.equal(row.attempts_count, k);
      await ctx.system.database.db('webhooks').where({ id: webhook.id }).update({ enabled: false });
    });
  }
});
