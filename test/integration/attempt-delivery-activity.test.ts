import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Dispatcher } from 'undici';
import { createActivities, MISSING_DELIVERY_DATA, type AttemptOutcome } from '../../activities/create-activities';
import { createWebhookPoster, type WebhookPosterOptions } from '../../activities/post-webhook';
import { verifyWebhookSignature } from '../../src/signature/verify-signature';
import { createStores } from '../../src/store/create-stores';
import { createGuardedDispatcher } from '../../src/targets/create-guarded-dispatcher';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import { createPendingDelivery, createTenant, createWebhookRow, type Tenant } from '../support/system/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/system/test-postgres';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { TEST_SECRET_CIPHER } from '../support/system/test-secret-cipher';

/** The activity's clock, pinned, so the signature's timestamp is known. */
const NOW = new Date('2026-05-01T12:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const USER_AGENT = 'Tidehook/activity-test';

type AttemptInput = Parameters<ReturnType<typeof createActivities>['attemptDelivery']>[0];

/**
 * One attempt with nothing around it: the activity run in Temporal's MockActivityEnvironment (no server, no
 * workflow) against a database of this file's own and a real receiver, through the production poster and the
 * SSRF-guarded dispatcher.
 */
describe('the attemptDelivery activity (mock activity environment, real database and receiver)', function () {
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

  const activities = (poster: WebhookPosterOptions = {}) =>
    createActivities({
      stores: createStores(database.db, TEST_SECRET_CIPHER),
      post: createWebhookPoster({ dispatcher, ...poster }),
      userAgent: USER_AGENT,
      now: () => NOW,
    });
  // Quiet: the activity logs every attempt (info) and the mock every activity that fails (warn).
  const environment = () => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
  /** Runs one attempt in an activity context of its own (`run`'s answer is untyped: the activity's type is). */
  const run = (env: MockActivityEnvironment, poster: WebhookPosterOptions, input: AttemptInput) =>
    env.run(activities(poster).attemptDelivery, input) as Promise<AttemptOutcome>;
  const attempt = (deliveryId: string, attemptNumber = 1, schedule: readonly number[] = DELIVERY_SCHEDULE) =>
    run(environment(), {}, { deliveryId, attemptNumber, schedule });

  async function pendingDelivery(webhook: { enabled?: boolean } = {}) {
    const created = await createWebhookRow(database.db, { ...tenant, url: receiver.url, ...webhook });
    const delivery = await createPendingDelivery(database.db, { ...tenant, webhookId: created.id, data: { n: 1 } });
    return { webhook: created, ...delivery };
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

  it('records the attempt and ends the delivery on a 2xx, and answers what it sent', async () => {
    const { webhook, deliveryId, eventId } = await pendingDelivery();
    const outcome = await attempt(deliveryId);
    assert.equal(outcome.kind, 'sent');
    assert.ok(outcome.kind === 'sent');
    assert.deepEqual(outcome.owner, {
      deliveryId,
      teamId: tenant.teamId,
      webhookId: webhook.id,
      eventId,
      eventType: 'message.delivered',
    });
    assert.equal(outcome.recorded, true);
    assert.equal(outcome.result.status, 'success');
    assert.equal(outcome.result.httpStatusCode, 200);
    assert.equal(outcome.result.responseBody, '{"received":true}');

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
    assert.equal(new Date(record.finished_at).toISOString(), outcome.result.finishedAt);

    const delivery = await deliveryRow(deliveryId);
    assert.equal(delivery.status, 'success');
    assert.equal(delivery.attempts_count, 1);
    assert.equal(delivery.last_attempt_status, 'success');
    assert.equal(new Date(delivery.last_attempt_at).toISOString(), outcome.result.finishedAt);
    assert.equal(delivery.next_attempt_at, null);
    assert.notEqual(delivery.finished_at, null);
    const touched = await database.db('webhooks').where({ id: webhook.id }).first('last_called_at');
    assert.equal(new Date(touched.last_called_at).toISOString(), outcome.result.finishedAt);
  });

  it('records a failed attempt and keeps the delivery pending until the next step of its schedule', async () => {
    receiver.answer = () => ({ status: 500, body: 'boom' });
    const { deliveryId } = await pendingDelivery();
    const outcome = await attempt(deliveryId);
    assert.ok(outcome.kind === 'sent' && outcome.recorded);
    assert.equal(outcome.result.status, 'server_error');
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
      new Date(outcome.result.finishedAt).getTime() + DELIVERY_SCHEDULE[1]!,
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

  it('heartbeats while the POST is under way, so a worker that dies with it is noticed', async () => {
    receiver.answer = () => 'hang';
    const { deliveryId } = await pendingDelivery();
    const env = environment();
    let heartbeats = 0;
    env.on('heartbeat', () => heartbeats++);
    // A 2.5 s deadline instead of 30 s: long enough for the first heartbeat, two seconds in.
    const outcome = await run(env, { timeoutMs: 2_500 }, { deliveryId, attemptNumber: 1, schedule: DELIVERY_SCHEDULE });
    assert.ok(outcome.kind === 'sent');
    assert.equal(outcome.result.status, 'timeout');
    assert.equal(heartbeats, 1);
    assert.equal((await attemptRows(deliveryId))[0].status, 'timeout');
  });

  it('answers stopped and sends nothing when the webhook is disabled or deleted', async () => {
    const disabled = await pendingDelivery({ enabled: false });
    assert.deepEqual(await attempt(disabled.deliveryId), { kind: 'stopped', reason: 'webhook disabled' });

    const deleted = await pendingDelivery();
    await database.db('webhooks').where({ id: deleted.webhook.id }).update({ deleted_at: new Date() });
    assert.deepEqual(await attempt(deleted.deliveryId), { kind: 'stopped', reason: 'webhook deleted' });

    assert.equal(receiver.requests.length, 0);
    for (const { deliveryId } of [disabled, deleted]) {
      assert.deepEqual(await attemptRows(deliveryId), [], 'no attempt recorded');
      const delivery = await deliveryRow(deliveryId);
      assert.equal(delivery.status, 'pending', 'the workflow settles it, not this attempt');
      assert.equal(delivery.attempts_count, 0);
    }
  });

  it('answers stopped and sends nothing for a delivery that is no longer pending, or not there', async () => {
    for (const status of ['success', 'failed', 'cancelled']) {
      const { deliveryId } = await pendingDelivery();
      await database.db('deliveries').where({ id: deliveryId }).update({ status });
      assert.deepEqual(await attempt(deliveryId), { kind: 'stopped', reason: `delivery already ${status}` });
      assert.deepEqual(await attemptRows(deliveryId), []);
    }
    assert.deepEqual(await attempt(randomUUID()), { kind: 'stopped', reason: 'delivery record not found' });
    assert.equal(receiver.requests.length, 0);
  });

  // Last: it drops a foreign key of this file's database.
  it('fails with a retryable MissingDeliveryData, before sending anything, when the event row is missing', async () => {
    const { deliveryId, eventId } = await pendingDelivery();
    // The schema cannot lose an event under its delivery, so this file's own database is made to.
    await database.db.raw('ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_id_foreign');
    await database.db('events').where({ id: eventId }).delete();
    await assert.rejects(attempt(deliveryId), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure, String(err));
      assert.equal(err.type, MISSING_DELIVERY_DATA);
      assert.equal(err.type, 'MissingDeliveryData');
      assert.equal(err.nonRetryable, false, 'Temporal retries it: the rows may yet appear');
      assert.equal(err.message, `event ${eventId} of delivery ${deliveryId} not found`);
      return true;
    });
    assert.equal(receiver.requests.length, 0);
    assert.deepEqual(await attemptRows(deliveryId), []);
  });
});
