import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { Registry } from 'prom-client';
import type { Dispatcher } from 'undici';
import type { AttemptInput, AttemptOutcome, FastAttemptOutcome } from '../../activities/attempt-outcome';
import { createAttemptActivities } from '../../activities/create-attempt-activities';
import { createWebhookPoster, type WebhookPosterOptions } from '../../activities/post-webhook';
import { AttemptGate } from '../../src/lanes/attempt-gate';
import { DEFAULT_LANE_SETTINGS, type LaneSettings } from '../../src/lanes/lane-settings';
import { DeliveryMetrics } from '../../src/metrics/delivery-metrics';
import { computeSignature } from '../../src/signature/sign-payload';
import { verifyWebhookSignature } from '../../src/signature/verify-signature';
import { createStores } from '../../src/store/create-stores';
import { createGuardedDispatcher } from '../../src/targets/create-guarded-dispatcher';
import type { QueuedLane } from '../../workflows/attempt-lanes';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import { createPendingDelivery, createTenant, createWebhookRow, type Tenant } from '../support/system/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/system/test-postgres';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { TEST_SECRET_CIPHER } from '../support/system/test-secret-cipher';

/** The activity's clock, pinned, so the signature's timestamp is known. */
const NOW = new Date('2026-05-01T12:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const USER_AGENT = 'Tidehook/activity-test';

/**
 * One attempt with nothing around it: the attempt activities run in Temporal's MockActivityEnvironment (no server,
 * no workflow) against a database of this file's own and a real receiver, through the production poster, the
 * SSRF-guarded dispatcher and a real attempt gate.
 */
describe('the attempt activities (mock activity environment, real database and receiver)', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let receiver: TestReceiver;
  let tenant: Tenant;
  let dispatcher: Dispatcher | undefined;

  before(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver();
    tenant = await createTenant(database.db);
    dispatcher = createGuardedDispatcher({ allowHttp: true, allowPrivate: true });
  });

  after(async () => {
    await dispatcher?.close();
    await receiver?.close();
    await database?.drop();
  });

  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.answer = () => ({ status: 200, body: '{"received":true}' });
  });

  /** The activities over this file's database, with a gate of their own and metrics to read. */
  function activities(
    options: { poster?: WebhookPosterOptions; lanes?: Partial<LaneSettings>; now?: () => Date } = {},
  ) {
    const metrics = new DeliveryMetrics(new Registry());
    const built = createAttemptActivities({
      stores: createStores(database.db, TEST_SECRET_CIPHER),
      post: createWebhookPoster({ dispatcher, ...options.poster }),
      userAgent: USER_AGENT,
      gate: new AttemptGate({ ...DEFAULT_LANE_SETTINGS, ...options.lanes }),
      sealer: TEST_SECRET_CIPHER,
      now: options.now ?? (() => NOW),
      metrics,
    });
    return Object.assign(built, { metrics });
  }

  /** An activity context of its own; its log lines are kept instead of printed. */
  function environment(options: { local?: boolean } = {}) {
    const logs: LogEntry[] = [];
    const env = new MockActivityEnvironment(
      { isLocal: options.local ?? false },
      { logger: new DefaultLogger('INFO', (entry) => logs.push(entry)) },
    );
    let heartbeats = 0;
    env.on('heartbeat', () => heartbeats++);
    return Object.assign(env, { logs, heartbeats: () => heartbeats });
  }

  /** Attempt `attemptNumber` of a delivery in the standard lane, on the production schedule. */
  const inStandardLane = (deliveryId: string, attemptNumber = 1): AttemptInput & { lane: QueuedLane } => ({
    deliveryId,
    attemptNumber,
    schedule: DELIVERY_SCHEDULE,
    lane: 'standard',
  });

  /** One attempt in the standard lane, as a queued activity; `run`'s answer is untyped, the activity's is not. */
  const attempt = (deliveryId: string, attemptNumber = 1) =>
    environment().run(
      activities().attemptInQueuedLane,
      inStandardLane(deliveryId, attemptNumber),
    ) as Promise<AttemptOutcome>;

  async function pendingDelivery(webhook: { enabled?: boolean } = {}) {
    const created = await createWebhookRow(database.db, { ...tenant, url: receiver.url, ...webhook });
    const delivery = await createPendingDelivery(database.db, { ...tenant, webhookId: created.id, data: { n: 1 } });
    return { webhook: created, ...delivery };
  }

  async function waitForRequests(count: number) {
    const deadline = Date.now() + 10_000;
    while (receiver.requests.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(receiver.requests.length, count, `the receiver got ${count} request(s)`);
  }

  const deliveryRow = (id: string) => database.db('deliveries').where({ id }).first();
  const attemptRows = (deliveryId: string) =>
    database.db('attempts').where({ delivery_id: deliveryId }).orderBy('attempt_number');

  it('signs the stored body afresh and sends it with the Lettermint headers; the signature verifies', async () => {
    const { webhook, deliveryId, body } = await pendingDelivery();
    await attempt(deliveryId, 3);
    assert.equal(receiver.requests.length, 1);
    const [request] = receiver.requests;
    assert.equal(request!.body, body, 'exactly the stored bytes');
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers['user-agent'], USER_AGENT);
    assert.equal(request!.headers['x-lettermint-event'], 'message.delivered');
    assert.equal(request!.headers['x-lettermint-delivery'], String(NOW_SECONDS));
    assert.equal(request!.headers['x-lettermint-attempt'], '3');
    assert.deepEqual(
      verifyWebhookSignature({
        payload: request!.body,
        signatureHeader: request!.headers['x-lettermint-signature'] as string,
        secret: webhook.secret,
        nowSeconds: NOW_SECONDS,
      }),
      { timestamp: NOW_SECONDS },
    );
  });

  it('writes X-Lettermint-Signature as exactly t=<floor(now)>,v1=<hex>: one v1, no spaces, t never rounded up', async () => {
    const { webhook, deliveryId } = await pendingDelivery();
    // 999 ms into the second: rounding would give NOW_SECONDS + 1, a t in the future that .NET receivers reject.
    const late = new Date(NOW.getTime() + 999);
    await environment().run(activities({ now: () => late }).attemptInQueuedLane, inStandardLane(deliveryId));
    const [request] = receiver.requests;
    const header = String(request!.headers['x-lettermint-signature']);
    assert.match(header, /^t=[0-9]{1,12},v1=[0-9a-f]{64}$/, 'the strictest receivers match the whole header');
    assert.equal(header, `t=${NOW_SECONDS},v1=${computeSignature(webhook.secret, NOW_SECONDS, request!.body)}`);
    assert.equal(request!.headers['x-lettermint-delivery'], String(NOW_SECONDS));
    assert.equal(
      request!.headers['webhook-signature'],
      undefined,
      'a lettermint-scheme webhook sends no Standard Webhooks headers',
    );
  });

  it('records the attempt and ends the delivery on a 2xx, answering only a summary for the workflow history', async () => {
    const { webhook, deliveryId, eventId } = await pendingDelivery();
    const outcome = await attempt(deliveryId);
    assert.ok(outcome.kind === 'sent', outcome.kind);
    assert.deepEqual(outcome.context, {
      deliveryId,
      teamId: tenant.teamId,
      webhookId: webhook.id,
      eventId,
      eventType: 'message.delivered',
    });
    assert.equal(outcome.recorded, true);
    assert.equal(outcome.sealed, null, 'recorded at once: nothing travels sealed');
    assert.deepEqual(Object.keys(outcome.summary).sort(), [
      'durationMs',
      'errorMessage',
      'finishedAt',
      'httpStatusCode',
      'startedAt',
      'status',
    ]);
    assert.equal(outcome.summary.status, 'success');
    assert.equal(outcome.summary.httpStatusCode, 200);

    const [record, ...more] = await attemptRows(deliveryId);
    assert.deepEqual(more, [], 'one record');
    assert.equal(record.attempt_number, 1);
    assert.equal(record.status, 'success');
    assert.equal(record.http_status_code, 200);
    assert.equal(record.event_id, eventId);
    assert.equal(record.webhook_id, webhook.id);
    assert.equal(record.response_body, '{"received":true}');
    assert.equal(record.request_headers['X-Lettermint-Attempt'], '1');
    assert.equal(
      record.request_headers['X-Lettermint-Signature'],
      receiver.requests[0]!.headers['x-lettermint-signature'],
    );
    assert.equal(new Date(record.finished_at).toISOString(), outcome.summary.finishedAt);

    const delivery = await deliveryRow(deliveryId);
    assert.equal(delivery.status, 'success');
    assert.equal(delivery.attempts_count, 1);
    assert.equal(delivery.last_attempt_status, 'success');
    assert.equal(new Date(delivery.last_attempt_at).toISOString(), outcome.summary.finishedAt);
    assert.equal(delivery.next_attempt_at, null);
    assert.notEqual(delivery.finished_at, null);
    const touched = await database.db('webhooks').where({ id: webhook.id }).first('last_called_at');
    assert.equal(new Date(touched.last_called_at).toISOString(), outcome.summary.finishedAt);
  });

  it('records a failed attempt and keeps the delivery pending until the next step of its schedule', async () => {
    receiver.answer = () => ({ status: 500, body: 'boom' });
    const { deliveryId } = await pendingDelivery();
    const outcome = await attempt(deliveryId);
    assert.ok(outcome.kind === 'sent' && outcome.recorded);
    assert.equal(outcome.summary.status, 'server_error');
    const [record] = await attemptRows(deliveryId);
    assert.equal(record.status, 'server_error');
    assert.equal(record.http_status_code, 500);
    assert.equal(record.response_body, 'boom');
    const delivery = await deliveryRow(deliveryId);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.attempts_count, 1);
    assert.equal(delivery.last_attempt_status, 'server_error');
    assert.equal(
      new Date(delivery.next_attempt_at).getTime(),
      new Date(outcome.summary.finishedAt).getTime() + DELIVERY_SCHEDULE[1]!,
      'a minute after attempt 1 ended',
    );
    assert.equal(delivery.finished_at, null);
  });

  it('marks the delivery failed when the last attempt of its schedule fails', async () => {
    receiver.answer = () => ({ status: 503 });
    const { deliveryId } = await pendingDelivery();
    const outcome = await attempt(deliveryId, DELIVERY_SCHEDULE.length);
    assert.ok(outcome.kind === 'sent' && outcome.recorded);
    const delivery = await deliveryRow(deliveryId);
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attempts_count, 12);
    assert.equal(delivery.last_attempt_status, 'server_error');
    assert.equal(delivery.next_attempt_at, null);
    assert.notEqual(delivery.finished_at, null);
    assert.deepEqual(
      (await attemptRows(deliveryId)).map((row) => [row.attempt_number, row.status]),
      [[12, 'server_error']],
    );
  });

  it('answers the recorded outcome of an attempt an earlier run already sent, and sends nothing again', async () => {
    const { deliveryId } = await pendingDelivery();
    const first = await attempt(deliveryId);
    // The same attempt again, as Temporal retries it when a worker died before it heard the answer.
    const again = await attempt(deliveryId);
    assert.equal(receiver.requests.length, 1, 'one POST');
    assert.ok(first.kind === 'sent' && again.kind === 'sent');
    assert.deepEqual(again, { ...first, sealed: null });
    assert.equal((await attemptRows(deliveryId)).length, 1);
  });

  it('sends nothing for a second run of an attempt while its first run is still sending it in this process', async () => {
    // Temporal retries a queued attempt whose heartbeat it missed (a starved machine) while the first run's POST
    // goes on: the second run must not send it again.
    receiver.answer = () => 'hang';
    const { deliveryId } = await pendingDelivery();
    const shared = activities({ poster: { timeoutMs: 1_500 } });
    const first = environment().run(shared.attemptInQueuedLane, inStandardLane(deliveryId)) as Promise<AttemptOutcome>;
    await waitForRequests(1);
    await assert.rejects(
      environment().run(shared.attemptInQueuedLane, inStandardLane(deliveryId)),
      (err: Error & { type?: string }) => err.type === 'AttemptInFlight',
    );
    const outcome = await first;
    assert.ok(outcome.kind === 'sent' && outcome.summary.status === 'timeout');
    // Its retry, once the first run ended, answers the recorded outcome and sends nothing either.
    const retried = (await environment().run(shared.attemptInQueuedLane, inStandardLane(deliveryId))) as AttemptOutcome;
    assert.ok(retried.kind === 'sent' && retried.recorded);
    assert.equal(receiver.requests.length, 1, 'one POST');
  });

  it('heartbeats from its first line and every 2 s in a queued lane, so a worker that dies in a POST is noticed', async () => {
    receiver.answer = () => 'hang';
    const { deliveryId } = await pendingDelivery();
    const env = environment();
    // A 2.5 s deadline instead of 30 s: long enough for the heartbeat two seconds in.
    const outcome = (await env.run(
      activities({ poster: { timeoutMs: 2_500 } }).attemptInQueuedLane,
      inStandardLane(deliveryId),
    )) as AttemptOutcome;
    assert.ok(outcome.kind === 'sent');
    assert.equal(outcome.summary.status, 'timeout');
    assert.equal(env.heartbeats(), 2);
    assert.equal((await attemptRows(deliveryId))[0].status, 'timeout');
  });

  it('sends in the fast lane as a local activity, which cannot heartbeat (its workflow task does)', async () => {
    const { deliveryId } = await pendingDelivery();
    const env = environment({ local: true });
    const input: AttemptInput = { deliveryId, attemptNumber: 1, schedule: DELIVERY_SCHEDULE };
    const outcome = (await env.run(activities().attemptInFastLane, input)) as FastAttemptOutcome;
    assert.ok(outcome.kind === 'sent' && outcome.recorded);
    assert.equal(outcome.summary.status, 'success');
    assert.equal(receiver.requests.length, 1);
    assert.equal(env.heartbeats(), 0);
  });

  it('hands the attempt to a queued lane, unsent, when the fast lane has no room', async () => {
    const { deliveryId } = await pendingDelivery();
    const full = activities({ lanes: { fastSlots: 0 } });
    const input: AttemptInput = { deliveryId, attemptNumber: 1, schedule: DELIVERY_SCHEDULE };
    const outcome = (await environment({ local: true }).run(full.attemptInFastLane, input)) as FastAttemptOutcome;
    assert.deepEqual(outcome, { kind: 'deferred', lane: 'standard', reason: 'lane_full' });
    assert.equal(receiver.requests.length, 0);
    assert.deepEqual(await attemptRows(deliveryId), []);
    assert.equal((await deliveryRow(deliveryId)).status, 'pending');
  });

  it('answers stopped (cancelled) and sends nothing when the webhook is disabled or deleted', async () => {
    const disabled = await pendingDelivery({ enabled: false });
    assert.deepEqual(await attempt(disabled.deliveryId), {
      kind: 'stopped',
      status: 'cancelled',
      reason: 'webhook disabled',
    });

    const deleted = await pendingDelivery();
    await database.db('webhooks').where({ id: deleted.webhook.id }).update({ deleted_at: new Date() });
    assert.deepEqual(await attempt(deleted.deliveryId), {
      kind: 'stopped',
      status: 'cancelled',
      reason: 'webhook deleted',
    });

    assert.equal(receiver.requests.length, 0);
    for (const { deliveryId } of [disabled, deleted]) {
      assert.deepEqual(await attemptRows(deliveryId), [], 'no attempt recorded');
      const delivery = await deliveryRow(deliveryId);
      assert.equal(delivery.status, 'pending', 'the workflow settles it (finishDelivery), not the attempt');
      assert.equal(delivery.attempts_count, 0);
    }
  });

  it('answers stopped and sends nothing for a delivery that is no longer pending, or not there', async () => {
    for (const status of ['success', 'failed', 'cancelled']) {
      const { deliveryId } = await pendingDelivery();
      await database.db('deliveries').where({ id: deliveryId }).update({ status });
      assert.deepEqual(await attempt(deliveryId), {
        kind: 'stopped',
        status: 'cancelled',
        reason: `delivery already ${status}`,
      });
      assert.deepEqual(await attemptRows(deliveryId), []);
    }
    assert.deepEqual(await attempt(randomUUID()), {
      kind: 'stopped',
      status: 'cancelled',
      reason: 'delivery record not found',
    });
    assert.equal(receiver.requests.length, 0);
  });

  // Last: it drops a foreign key of this file's database.
  it('ends the delivery visibly as failed, sending nothing, when the event row is missing', async () => {
    const { deliveryId, eventId } = await pendingDelivery();
    // The schema cannot lose an event under its delivery, so this file's own database is made to.
    await database.db.raw('ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_id_foreign');
    await database.db('events').where({ id: eventId }).delete();
    const built = activities();
    const env = environment();
    const outcome = (await env.run(built.attemptInQueuedLane, inStandardLane(deliveryId))) as AttemptOutcome;
    assert.deepEqual(outcome, { kind: 'stopped', status: 'failed', reason: 'the event record is missing' });
    assert.equal(receiver.requests.length, 0);
    assert.deepEqual(await attemptRows(deliveryId), []);
    const faults = await built.metrics.faults.get();
    assert.deepEqual(
      faults.values.map((v) => [v.labels.fault, v.value]),
      [['event_missing', 1]],
    );
    const logged = env.logs.find((entry) => entry.message === 'attempt cannot be sent');
    assert.equal(logged?.level, 'ERROR');
    assert.equal(logged?.meta?.fault, 'event_missing');
    assert.equal(logged?.meta?.detail, `event ${eventId} of delivery ${deliveryId} not found`);
  });
});
