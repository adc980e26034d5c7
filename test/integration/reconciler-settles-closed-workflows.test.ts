import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DELIVERY_WORKFLOW_TYPE, deliveryStartOptions } from '../../src/deliveries/delivery-starter';
import type { DeliveryWorkflowInput } from '../../workflows/delivery-workflow-input';
import { createWebhookRow } from '../support/system/fixtures';
import { TEST_TASK_QUEUE } from '../support/system/test-system';
import { useTestSystem } from '../support/system/use-test-system';
import { waitFor } from '../support/system/wait-until';

describe('the reconciler settles deliveries whose workflow closed while Postgres says pending (dev server)', function () {
  this.timeout(120_000);

  const ctx = useTestSystem({ temporal: 'dev-server', receiver: true, tenant: true });

  before(async () => {
    ctx.receiver.answer = (request) => (request.path.endsWith('/failing') ? { status: 500 } : { status: 200 });
    await createWebhookRow(ctx.system.database.db, {
      ...ctx.tenant,
      url: `${ctx.receiver.url}/healthy`,
      events: ['message.delivered'],
    });
    await createWebhookRow(ctx.system.database.db, {
      ...ctx.tenant,
      url: `${ctx.receiver.url}/failing`,
      events: ['message.failed'],
    });
  });

  const row = (id: string) => ctx.system.database.db('deliveries').where({ id }).first();

  /** A delivery committed and started on a schedule of its own (`schedule.length` attempts). */
  async function startDelivery(event: 'message.delivered' | 'message.failed', schedule: number[]) {
    const toStart = await ctx.system.stores.transaction(async (tx) => {
      const envelopeId = `evt-${randomUUID()}`;
      const stored = await tx.events.insertOnce({
        id: randomUUID(),
        teamId: ctx.tenant.teamId,
        routeId: ctx.tenant.routeId,
        envelopeId,
        eventType: event,
        body: JSON.stringify({ id: envelopeId, event, timestamp: new Date().toISOString(), data: {} }),
        occurredAt: new Date(),
      });
      const created = await tx.outbox.createForEvent({
        teamId: ctx.tenant.teamId,
        eventId: stored.event.id,
        routeId: ctx.tenant.routeId,
        projectId: ctx.tenant.projectId,
        eventType: event,
        machine: false,
      });
      return created.toStart[0]!;
    });
    const options = deliveryStartOptions(toStart, { taskQueue: TEST_TASK_QUEUE, eager: false });
    const input: DeliveryWorkflowInput = { ...options.args[0], schedule };
    const handle = await ctx.system.client.workflow.start(DELIVERY_WORKFLOW_TYPE, { ...options, args: [input] });
    await ctx.system.stores.outbox.markWorkflowStarted([toStart.deliveryId]);
    return { deliveryId: toStart.deliveryId, handle };
  }

  /**
   * A delivery run to its end in Temporal, then set back in Postgres to what it was before its last write (the
   * write lost): pending, no attempt recorded, its workflow started `startedAgoMs` ago.
   */
  async function closedWithLostWrite(
    event: 'message.delivered' | 'message.failed',
    schedule: number[],
    startedAgoMs: number,
  ) {
    const { deliveryId, handle } = await startDelivery(event, schedule);
    await handle.result().catch(() => undefined);
    const expected = event === 'message.delivered' ? 'success' : 'failed';
    assert.equal((await row(deliveryId)).status, expected, 'the workflow recorded its own end first');

    await ctx.system.database.db('attempts').where({ delivery_id: deliveryId }).delete();
    await ctx.system.database
      .db('deliveries')
      .where({ id: deliveryId })
      .update({
        status: 'pending',
        status_reason: null,
        attempts_count: 0,
        last_attempt_status: null,
        last_attempt_at: null,
        next_attempt_at: null,
        finished_at: null,
        workflow_started_at: new Date(Date.now() - startedAgoMs),
      });
    return { deliveryId, temporalStatus: (await handle.describe()).status.name };
  }

  it('settles a Completed delivery to success when it is read', async () => {
    const delivery = await closedWithLostWrite('message.delivered', [0], 0);
    assert.equal(delivery.temporalStatus, 'COMPLETED');
    const view = await ctx.system.api('GET', `/v1/deliveries/${delivery.deliveryId}`, { token: ctx.tenant.token });
    assert.equal(view.status, 200);
    assert.equal(view.body.status, 'success');
    assert.equal(view.body.status_reason, null);
    assert.equal(view.body.temporal_reachable, true);
    assert.ok(view.body.finished_at);
    assert.equal((await row(delivery.deliveryId)).status, 'success');
  });

  it('settles a Failed delivery to failed when it is read', async () => {
    const delivery = await closedWithLostWrite('message.failed', [0], 0);
    assert.equal(delivery.temporalStatus, 'FAILED');
    const view = await ctx.system.api('GET', `/v1/deliveries/${delivery.deliveryId}`, { token: ctx.tenant.token });
    assert.equal(view.body.status, 'failed');
    assert.equal(view.body.status_reason, 'workflow failed in Temporal');
    assert.equal(view.body.next_attempt_at, null);
  });

  it('settles overdue Completed and Failed deliveries in the sweep, nobody reading them', async () => {
    const completed = await closedWithLostWrite('message.delivered', [0], 10 * 60_000);
    const failed = await closedWithLostWrite('message.failed', [0, 0], 10 * 60_000);
    // A delivery whose workflow still runs (waiting 10 minutes for attempt 2) is left alone, however late it looks.
    const running = await startDelivery('message.failed', [0, 600_000]);
    await waitFor(async () => (await row(running.deliveryId)).attempts_count === 1);
    await ctx.system.database
      .db('deliveries')
      .where({ id: running.deliveryId })
      .update({ next_attempt_at: new Date(Date.now() - 10 * 60_000) });

    const settled = await ctx.system.deps.reconciler.sweepOnce();
    assert.ok(settled >= 2, `the sweep settled ${settled}`);
    const [one, two, three] = await Promise.all([
      row(completed.deliveryId),
      row(failed.deliveryId),
      row(running.deliveryId),
    ]);
    assert.deepEqual([one.status, one.status_reason], ['success', null]);
    assert.deepEqual([two.status, two.status_reason], ['failed', 'workflow failed in Temporal']);
    assert.equal(three.status, 'pending', 'a workflow that still runs is not settled');
    await running.handle.terminate('end of test');
  });
});
