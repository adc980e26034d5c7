import assert from 'node:assert/strict';
import { CancelledFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { createWebhookRow } from '../support/system/fixtures';
import { waitFor } from '../support/system/wait-until';
import { useTestSystem } from '../support/system/use-test-system';

describe('operating deliveries: cancel, terminate, replay (dev server)', function () {
  this.timeout(120_000);
  // A 2 s attempt deadline instead of 30 s, so an attempt in flight can be cancelled and watched to its end.
  const ctx = useTestSystem({ temporal: 'dev-server', poster: { timeoutMs: 2_000 }, receiver: true, tenant: true });

  /** Triggers an event to a fresh webhook whose receiver path fails, and waits until attempt 1 is recorded. */
  async function deliveryWaitingForAttempt2(path: string) {
    ctx.receiver.answer = (request) => (request.path.endsWith(path) ? { status: 500 } : { status: 200 });
    const webhook = await createWebhookRow(ctx.system.database.db, {
      ...ctx.tenant,
      url: `${ctx.receiver.url}/${path}`,
    });
    const response = await ctx.api('POST', '/v1/events', {
      route_id: ctx.tenant.routeId,
      event: 'message.delivered',
      data: { path },
    });
    await ctx.system.database
      .db('webhooks')
      .where({ id: webhook.id })
      .update({ events: ['message.sent'] }); // isolate from later tests
    const delivery = response.body.data.deliveries.find((d: { webhook_id: string }) => d.webhook_id === webhook.id);
    await waitFor(
      async () => (await ctx.system.database.db('deliveries').where({ id: delivery.id }).first()).attempts_count === 1,
    );
    return { webhook, delivery: delivery as { id: string; workflow_id: string } };
  }

  async function temporalStatus(workflowId: string): Promise<string> {
    return (await ctx.system.client.workflow.getHandle(workflowId).describe()).status.name;
  }

  it('records a cancel from a workflow handle (as the Web UI and CLI send it) as cancelled in Postgres', async () => {
    const { delivery } = await deliveryWaitingForAttempt2('cancel-handle');
    const requestsBefore = ctx.receiver.requests.length;
    const handle = ctx.system.client.workflow.getHandle(delivery.workflow_id);
    await handle.cancel();
    await assert.rejects(
      handle.result(),
      (err: unknown) => err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure,
    );
    assert.equal(await temporalStatus(delivery.workflow_id), 'CANCELLED');
    const view = await ctx.api('GET', `/v1/deliveries/${delivery.id}`);
    assert.equal(view.body.status, 'cancelled');
    assert.equal(view.body.status_reason, 'cancelled in Temporal');
    assert.equal(view.body.next_attempt_at, null);
    assert.equal(view.body.attempts.length, 1);
    assert.equal(ctx.receiver.requests.length, requestsBefore);
  });

  it('cancels over the API: Postgres shows cancelled and Temporal shows Canceled', async () => {
    const { delivery } = await deliveryWaitingForAttempt2('cancel-api');
    const response = await ctx.api('POST', `/v1/deliveries/${delivery.id}/cancel`);
    assert.equal(response.status, 200);
    assert.equal(response.body.data.status, 'cancelled');
    assert.equal(response.body.data.status_reason, 'cancelled via API');
    await assert.rejects(ctx.system.client.workflow.getHandle(delivery.workflow_id).result());
    assert.equal(await temporalStatus(delivery.workflow_id), 'CANCELLED');
    assert.equal((await ctx.system.database.db('deliveries').where({ id: delivery.id }).first()).status, 'cancelled');

    const again = await ctx.api('POST', `/v1/deliveries/${delivery.id}/cancel`);
    assert.equal(again.status, 409);
  });

  it('lets an attempt in flight finish and records it, then makes no further attempt', async () => {
    const webhook = await createWebhookRow(ctx.system.database.db, {
      ...ctx.tenant,
      url: `${ctx.receiver.url}/slow`,
      events: ['message.sent'],
    });
    ctx.receiver.answer = (request) => (request.path.endsWith('/slow') ? 'hang' : { status: 200 });
    const response = await ctx.api('POST', '/v1/events', {
      route_id: ctx.tenant.routeId,
      event: 'message.sent',
      data: {},
    });
    const delivery = response.body.data.deliveries.find((d: { webhook_id: string }) => d.webhook_id === webhook.id);
    await waitFor(async () => ctx.receiver.requests.some((r) => r.path.endsWith('/slow')));
    const cancel = await ctx.api('POST', `/v1/deliveries/${delivery.id}/cancel`);
    assert.equal(cancel.status, 200);
    // The receiver never answers: the attempt runs to its deadline and ends as a timeout, recorded.
    await assert.rejects(ctx.system.client.workflow.getHandle(delivery.workflow_id).result());
    const attempts = await ctx.system.database.db('attempts').where({ delivery_id: delivery.id });
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0].status, 'timeout');
    assert.equal((await ctx.system.database.db('deliveries').where({ id: delivery.id }).first()).status, 'cancelled');
    assert.equal(await temporalStatus(delivery.workflow_id), 'CANCELLED');
    assert.equal(ctx.receiver.requests.filter((r) => r.path.endsWith('/slow')).length, 1);
  });

  it('settles a delivery whose workflow was terminated, on read and in the periodic sweep', async () => {
    const first = await deliveryWaitingForAttempt2('terminate-read');
    await ctx.system.client.workflow.getHandle(first.delivery.workflow_id).terminate('operator terminated it');
    const view = await ctx.api('GET', `/v1/deliveries/${first.delivery.id}`);
    assert.equal(view.body.status, 'cancelled');
    assert.equal(view.body.status_reason, 'terminated in Temporal');

    const second = await deliveryWaitingForAttempt2('terminate-sweep');
    await ctx.system.client.workflow.getHandle(second.delivery.workflow_id).terminate('operator terminated it');
    await waitFor(
      async () =>
        (await ctx.system.deps.reconciler.sweepOnce()) >= 0 &&
        (await ctx.system.database.db('deliveries').where({ id: second.delivery.id }).first()).status === 'cancelled',
      15_000,
    );
  });

  it('replays a finished delivery as a new delivery of the same event, linked to the original', async () => {
    const { delivery } = await deliveryWaitingForAttempt2('replay');
    const pending = await ctx.api('POST', `/v1/deliveries/${delivery.id}/replay`);
    assert.equal(pending.status, 409, 'a pending delivery is not replayed');
    await ctx.api('POST', `/v1/deliveries/${delivery.id}/cancel`);

    ctx.receiver.answer = () => ({ status: 200 });
    const replay = await ctx.api('POST', `/v1/deliveries/${delivery.id}/replay`);
    assert.equal(replay.status, 202, JSON.stringify(replay.body));
    assert.equal(replay.body.data.replay_of, delivery.id);
    assert.notEqual(replay.body.data.id, delivery.id);
    assert.notEqual(replay.body.data.workflow_id, delivery.workflow_id);
    assert.deepEqual(await ctx.system.client.workflow.getHandle(replay.body.data.workflow_id).result(), {
      status: 'success',
      attempts: 1,
    });
    const bodies = ctx.receiver.requests.filter((r) => r.path.endsWith('/replay')).map((r) => r.body);
    assert.equal(bodies.length, 2);
    assert.equal(bodies[0], bodies[1], 'the replay sends the same bytes, same envelope id');
    assert.equal(
      (await ctx.system.database.db('deliveries').where({ id: delivery.id }).first()).status,
      'cancelled',
      'the original is unchanged',
    );
  });
});
