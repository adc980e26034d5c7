import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createStores, type Stores } from '../../src/store/create-stores';
import type { AttemptContext } from '../../src/store/attempt-store';
import type { AttemptResult, AttemptStatus } from '../../workflows/attempt-result';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/system/test-postgres';
import { TEST_SECRET_CIPHER } from '../support/system/test-secret-cipher';

const HTTP_CODES: Partial<Record<AttemptStatus, number>> = { success: 200, server_error: 503, client_error: 404 };

/** An attempt's outcome as the runner hands it to the store, `at` seconds after a fixed start. */
function result(status: AttemptStatus, at: number): AttemptResult {
  const base = Date.parse('2026-03-01T12:00:00.000Z');
  return {
    status,
    httpStatusCode: HTTP_CODES[status] ?? null,
    durationMs: 25,
    errorMessage: status === 'failed' ? 'connect ECONNREFUSED' : null,
    startedAt: new Date(base + at * 1000 - 25).toISOString(),
    finishedAt: new Date(base + at * 1000).toISOString(),
    requestHeaders: { 'X-Lettermint-Attempt': 'n' },
    responseHeaders: { 'x-answer': status },
    responseBody: status,
  };
}

const NEXT_AT = new Date('2026-03-01T12:01:00.000Z');

describe('AttemptStore.recordOutcome: monotonic writes (real Postgres)', () => {
  let database: TestDatabase;
  let stores: Stores;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  let webhookId: string;

  before(async () => {
    database = await createTestDatabase();
    stores = createStores(database.db, TEST_SECRET_CIPHER);
    tenant = await createTenant(database.db);
    webhookId = (await createWebhookRow(database.db, { ...tenant, url: 'https://hooks.example.com/in' })).id;
  });

  after(async () => {
    await database?.drop();
  });

  /** A pending delivery, as a trigger leaves it. */
  async function pendingDelivery(): Promise<AttemptContext> {
    const eventId = randomUUID();
    const deliveryId = randomUUID();
    await database.db('events').insert({
      id: eventId,
      team_id: tenant.teamId,
      route_id: tenant.routeId,
      envelope_id: `evt-${eventId}`,
      event_type: 'message.delivered',
      body: '{}',
      occurred_at: new Date(),
    });
    await database.db('deliveries').insert({
      id: deliveryId,
      team_id: tenant.teamId,
      event_id: eventId,
      webhook_id: webhookId,
      route_id: tenant.routeId,
      workflow_id: `delivery:message.delivered:${deliveryId}`,
      workflow_started_at: new Date(),
    });
    return { deliveryId, teamId: tenant.teamId, webhookId, eventId, eventType: 'message.delivered' };
  }

  async function record(
    context: AttemptContext,
    attemptNumber: number,
    outcome: AttemptResult,
    delivery: { status: 'pending' | 'success' | 'failed'; nextAttemptAt: Date | null },
  ) {
    await stores.attempts.recordOutcome({ context, attemptNumber, result: outcome, delivery });
  }

  async function rows(context: AttemptContext) {
    const delivery = await database.db('deliveries').where({ id: context.deliveryId }).first();
    const attempts = await database
      .db('attempts')
      .where({ delivery_id: context.deliveryId })
      .orderBy('attempt_number')
      .select('attempt_number', 'status', 'http_status_code', 'response_body', 'finished_at');
    return { delivery, attempts };
  }

  it('records an outcome with what it means for the delivery, and fills a record begun in advance', async () => {
    const context = await pendingDelivery();
    const begun = await stores.attempts.begin(context, 1);
    await record(context, 1, result('server_error', 1), { status: 'pending', nextAttemptAt: NEXT_AT });
    const { delivery, attempts } = await rows(context);
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0].status, 'server_error');
    assert.equal((await database.db('attempts').where({ id: begun.id }).first()).status, 'server_error');
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.attempts_count, 1);
    assert.equal(delivery.last_attempt_status, 'server_error');
    assert.equal(delivery.next_attempt_at.toISOString(), NEXT_AT.toISOString());
  });

  it("never lets an older attempt's late outcome move the delivery back from a newer one's", async () => {
    const context = await pendingDelivery();
    await record(context, 1, result('server_error', 1), { status: 'pending', nextAttemptAt: NEXT_AT });
    const attempt2Next = new Date('2026-03-01T12:03:00.000Z');
    await record(context, 2, result('timeout', 61), { status: 'pending', nextAttemptAt: attempt2Next });
    const before = await rows(context);

    // Attempt 1 written again, late and different (a duplicate run, a retried write after an outage).
    await record(context, 1, result('client_error', 90), {
      status: 'pending',
      nextAttemptAt: new Date('2026-03-01T12:02:30.000Z'),
    });
    const after = await rows(context);
    assert.deepEqual(after.attempts, before.attempts, 'the records keep their first outcomes');
    assert.equal(after.delivery.attempts_count, 2);
    assert.equal(after.delivery.last_attempt_status, 'timeout');
    assert.equal(after.delivery.next_attempt_at.toISOString(), attempt2Next.toISOString());
    assert.equal(after.delivery.updated_at.getTime(), before.delivery.updated_at.getTime(), 'nothing was written');
  });

  it('never overwrites a success with a late server_error of the same attempt', async () => {
    const context = await pendingDelivery();
    await record(context, 1, result('success', 1), { status: 'success', nextAttemptAt: null });
    const before = await rows(context);
    await record(context, 1, result('server_error', 2), { status: 'pending', nextAttemptAt: NEXT_AT });
    const after = await rows(context);
    assert.deepEqual(after.attempts, before.attempts);
    assert.equal(after.attempts[0].status, 'success');
    assert.equal(after.attempts[0].http_status_code, 200);
    assert.equal(after.delivery.status, 'success');
    assert.equal(after.delivery.last_attempt_status, 'success');
    assert.equal(after.delivery.next_attempt_at, null);
    assert.equal(after.delivery.finished_at.getTime(), before.delivery.finished_at.getTime());
  });

  it('never moves a delivery out of failed, not even for a late success', async () => {
    const context = await pendingDelivery();
    await database.db('deliveries').where({ id: context.deliveryId }).update({ attempts_count: 11 });
    await record(context, 12, result('server_error', 1), { status: 'failed', nextAttemptAt: null });
    await record(context, 12, result('success', 2), { status: 'success', nextAttemptAt: null });
    const { delivery, attempts } = await rows(context);
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.last_attempt_status, 'server_error');
    assert.equal(attempts[0].status, 'server_error');
  });

  it('keeps a cancel that arrived while the attempt was in flight, and still records the attempt', async () => {
    const context = await pendingDelivery();
    assert.ok(await stores.cancellations.cancel(context.deliveryId, 'cancelled via API'));
    await record(context, 1, result('server_error', 1), { status: 'pending', nextAttemptAt: NEXT_AT });
    const { delivery, attempts } = await rows(context);
    assert.equal(delivery.status, 'cancelled');
    assert.equal(delivery.status_reason, 'cancelled via API');
    assert.equal(delivery.next_attempt_at, null, 'a cancelled delivery has no next attempt');
    assert.ok(delivery.finished_at, 'it stays finished');
    assert.equal(delivery.attempts_count, 1);
    assert.equal(delivery.last_attempt_status, 'server_error');
    assert.deepEqual(
      attempts.map((a) => a.status),
      ['server_error'],
    );
  });

  it('lets an outcome that ends the delivery override a cancel that arrived meanwhile: delivered, or the last attempt failed', async () => {
    const delivered = await pendingDelivery();
    await stores.cancellations.cancel(delivered.deliveryId, 'webhook disabled');
    await record(delivered, 1, result('success', 1), { status: 'success', nextAttemptAt: null });
    const one = await rows(delivered);
    assert.equal(one.delivery.status, 'success');
    assert.equal(one.delivery.status_reason, null);

    const exhausted = await pendingDelivery();
    await database.db('deliveries').where({ id: exhausted.deliveryId }).update({ attempts_count: 11 });
    await stores.cancellations.cancel(exhausted.deliveryId, 'webhook disabled');
    await record(exhausted, 12, result('timeout', 1), { status: 'failed', nextAttemptAt: null });
    const two = await rows(exhausted);
    assert.equal(two.delivery.status, 'failed');
    assert.equal(two.delivery.status_reason, null);
    assert.equal(two.delivery.next_attempt_at, null);
  });
});
