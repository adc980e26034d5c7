import assert from 'node:assert/strict';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import type { DeliveryWorkflowInput } from '../../workflows/delivery-workflow-input';
import { createPendingDelivery, createWebhookRow } from '../support/system/fixtures';
import { TEST_TASK_QUEUE } from '../support/system/test-system';
import { useTestSystem } from '../support/system/use-test-system';

/**
 * Deliveries started before the lanes keep running the frozen first workflow after an upgrade: on today's
 * activities it must still send, record, retry on the exact schedule and stop, as it did.
 */
describe("the frozen first delivery workflow on today's activities (time-skipping Temporal server)", function () {
  this.timeout(60_000);
  const context = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });

  async function startV1(answers: number[], webhookEnabled = true) {
    const { system, receiver, tenant } = context;
    let calls = 0;
    receiver.answer = () => ({ status: answers[Math.min(calls++, answers.length - 1)]! });
    const webhook = await createWebhookRow(system.database.db, {
      ...tenant,
      url: receiver.url,
      enabled: webhookEnabled,
    });
    const pending = await createPendingDelivery(system.database.db, { ...tenant, webhookId: webhook.id });
    const input: DeliveryWorkflowInput = {
      deliveryId: pending.deliveryId,
      webhookId: webhook.id,
      routeId: tenant.routeId,
      projectId: tenant.projectId,
      eventType: 'message.delivered',
      schedule: [...DELIVERY_SCHEDULE],
    };
    const handle = await system.client.workflow.start('deliveryWorkflow', {
      taskQueue: TEST_TASK_QUEUE,
      workflowId: pending.workflowId,
      args: [input],
    });
    return { handle, pending, webhook };
  }

  it('sends, records and retries on the schedule, then succeeds, as before the upgrade', async () => {
    const { system, receiver } = context;
    const before = receiver.requests.length;
    const { handle, pending } = await startV1([500, 200]);
    assert.deepEqual(await handle.result(), { status: 'success', attempts: 2 });
    const sent = receiver.requests.slice(before);
    assert.deepEqual(
      sent.map((request) => request.headers['x-lettermint-attempt']),
      ['1', '2'],
    );
    const delivery = await system.database.db('deliveries').where({ id: pending.deliveryId }).first();
    assert.equal(delivery.status, 'success');
    const attempts = await system.database
      .db('attempts')
      .where({ delivery_id: pending.deliveryId })
      .orderBy('attempt_number');
    assert.deepEqual(
      attempts.map((a: { status: string; http_status_code: number }) => [a.status, a.http_status_code]),
      [
        ['server_error', 500],
        ['success', 200],
      ],
    );
    // The recorded exchange is complete in Postgres, and the first attempt waited exactly the schedule's minute.
    assert.ok(attempts[1].request_headers['X-Lettermint-Signature']);
    const history = await handle.fetchHistory();
    const timers = (history.events ?? []).filter((event) => event.timerStartedEventAttributes);
    assert.deepEqual(
      timers.map((event) => Number(event.timerStartedEventAttributes!.startToFireTimeout!.seconds)),
      [DELIVERY_SCHEDULE[1]! / 1000],
    );
  });

  it('stops as cancelled, sending nothing, when its webhook is disabled, as before', async () => {
    const { system, receiver } = context;
    const before = receiver.requests.length;
    const { handle, pending } = await startV1([200], false);
    assert.deepEqual(await handle.result(), { status: 'cancelled', attempts: 0, reason: 'webhook disabled' });
    assert.equal(receiver.requests.length, before);
    const delivery = await system.database.db('deliveries').where({ id: pending.deliveryId }).first();
    assert.equal(delivery.status, 'cancelled');
    assert.equal(delivery.status_reason, 'webhook disabled');
  });
});
