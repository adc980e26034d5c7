import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DeliveryWorkflowInput } from '../../workflows/delivery-workflow';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { startTestSystem, TEST_TASK_QUEUE, type TestSystem } from '../support/system/test-system';
import { spawnWorkerProcess, type WorkerProcess } from '../support/system/worker-process';
import { waitFor } from '../support/system/wait-until';

/** A delivery whose schedule is short enough to watch in real time: now, then 10 s, then 10 s. */
const WAIT_MS = 10_000;
const SHORT_SCHEDULE = [0, WAIT_MS, WAIT_MS];

describe('a worker killed while a delivery waits between attempts', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let receiver: TestReceiver;
  const workers: WorkerProcess[] = [];

  before(async () => {
    system = await startTestSystem({ temporal: 'dev-server', inProcessWorker: false });
    receiver = await startTestReceiver();
  });

  after(async () => {
    for (const worker of workers) await worker.kill();
    await receiver?.close();
    await system?.close();
  });

  it('is replaced by a new worker that makes the next attempt on time', async () => {
    const db = system.database.db;
    const tenant = await createTenant(db);
    const webhook = await createWebhookRow(db, { ...tenant, url: receiver.url });
    const eventId = randomUUID();
    const deliveryId = randomUUID();
    const workflowId = `delivery:message.delivered:${deliveryId}`;
    await db('events').insert({
      id: eventId,
      team_id: tenant.teamId,
      route_id: tenant.routeId,
      envelope_id: 'evt-crash',
      event_type: 'message.delivered',
      body: '{"id":"evt-crash"}',
      occurred_at: new Date(),
    });
    await db('deliveries').insert({
      id: deliveryId,
      team_id: tenant.teamId,
      event_id: eventId,
      webhook_id: webhook.id,
      route_id: tenant.routeId,
      workflow_id: workflowId,
      workflow_started_at: new Date(),
    });
    receiver.answer = (_req, index) => (index === 0 ? { status: 500 } : { status: 200 });

    const spawnWorker = async () => {
      const worker = await spawnWorkerProcess({
        databaseUrl: system.database.url,
        temporalAddress: system.temporalAddress,
        taskQueue: TEST_TASK_QUEUE,
      });
      workers.push(worker);
      return worker;
    };
    const first = await spawnWorker();
    const input: DeliveryWorkflowInput = {
      deliveryId,
      webhookId: webhook.id,
      routeId: tenant.routeId,
      projectId: tenant.projectId,
      eventType: 'message.delivered',
      schedule: SHORT_SCHEDULE,
    };
    const handle = await system.client.workflow.start('deliveryWorkflow', {
      taskQueue: TEST_TASK_QUEUE,
      workflowId,
      args: [input],
    });

    const [attempt1] = await receiver.waitForRequests(1);
    // A second worker joins (as in any deployment with more than one); once attempt 1 is recorded and the timer
    // runs, the worker that made it is killed in the middle of the wait.
    await spawnWorker();
    await waitFor(
      async () =>
        (await db('attempts').where({ delivery_id: deliveryId, attempt_number: 1 }).first())?.status === 'server_error',
    );
    const killedAfter = Date.now() - attempt1!.receivedAt;
    await first.kill('SIGKILL');

    const [, attempt2] = await receiver.waitForRequests(2, 60_000);
    const gap = attempt2!.receivedAt - attempt1!.receivedAt;
    console.log(
      `      worker killed ${killedAfter} ms and attempt 2 came ${gap} ms after attempt 1 (schedule: ${WAIT_MS} ms)`,
    );
    assert.ok(gap >= WAIT_MS, `attempt 2 came early: ${gap} ms`);
    // Up to the 2 s sticky-queue timeout (see create-delivery-worker.ts) plus a POST on loopback.
    assert.ok(gap < WAIT_MS + 3_500, `attempt 2 came late: ${gap} ms`);
    assert.deepEqual(await handle.result(), { status: 'success', attempts: 2 });
    assert.equal(receiver.requests.length, 2);
    const attempts = await db('attempts').where({ delivery_id: deliveryId }).orderBy('attempt_number');
    assert.deepEqual(
      attempts.map((a) => a.status),
      ['server_error', 'success'],
    );
  });
});
