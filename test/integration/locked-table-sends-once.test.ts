import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import { DeliveryStarter } from '../../src/deliveries/delivery-starter';
import type { DeliveryToStart } from '../../src/store/delivery-outbox';
import { assertPostgresAgreesWithTemporal, type DeliveryAgreement } from '../support/system/attempt-history';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { startTestSystem, TEST_TASK_QUEUE, type TestSystem } from '../support/system/test-system';

/** As in the audit's reproduction (finding 1): longer than the 10 s heartbeat timeout of a queued attempt. */
const LOCK_MS = 14_000;

/** Events committed to Postgres and their deliveries, not yet handed to Temporal (as a trigger leaves them). */
async function commitEvents(
  system: TestSystem,
  tenant: Awaited<ReturnType<typeof createTenant>>,
  count: number,
): Promise<DeliveryToStart[]> {
  return system.stores.transaction(async (tx) => {
    const toStart: DeliveryToStart[] = [];
    for (let i = 0; i < count; i++) {
      const envelopeId = `evt-${randomUUID()}`;
      const stored = await tx.events.insertOnce({
        id: randomUUID(),
        teamId: tenant.teamId,
        routeId: tenant.routeId,
        envelopeId,
        eventType: 'message.delivered',
        body: JSON.stringify({
          id: envelopeId,
          event: 'message.delivered',
          timestamp: new Date().toISOString(),
          data: {},
        }),
        occurredAt: new Date(),
      });
      const created = await tx.outbox.createForEvent({
        teamId: tenant.teamId,
        eventId: stored.event.id,
        routeId: tenant.routeId,
        projectId: tenant.projectId,
        eventType: 'message.delivered',
        machine: false,
      });
      toStart.push(...created.toStart);
    }
    return toStart;
  });
}

/**
 * `LOCK TABLE events IN ACCESS EXCLUSIVE MODE` from a session of its own, held for `ms` while `during` runs;
 * answers when the lock was taken and released.
 */
async function withEventsLocked(
  url: string,
  ms: number,
  during: () => Promise<void>,
): Promise<{ lockedAt: number; releasedAt: number }> {
  const session = new PgClient({ connectionString: url });
  await session.connect();
  try {
    await session.query('BEGIN');
    await session.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
    const lockedAt = Date.now();
    await during();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lockedAt + ms - Date.now())));
    await session.query('COMMIT');
    return { lockedAt, releasedAt: Date.now() };
  } finally {
    await session.end();
  }
}

/** POSTs per attempt number for one envelope id, as the receiver got them. */
function postsByAttempt(receiver: TestReceiver, envelopeIdOf: Map<string, string>, deliveryId: string) {
  const envelopeId = envelopeIdOf.get(deliveryId)!;
  const counts = new Map<number, number>();
  for (const request of receiver.requests) {
    if ((JSON.parse(request.body) as { id: string }).id !== envelopeId) continue;
    const attempt = Number(request.headers['x-lettermint-attempt']);
    counts.set(attempt, (counts.get(attempt) ?? 0) + 1);
  }
  return Object.fromEntries(counts);
}

describe('a locked events table while first attempts are due (dev server; worker pool with production timeouts)', function () {
  this.timeout(120_000);
  let receiver: TestReceiver;
  /** Production's default pool (20 connections), and a pool of 2 that the lock starves. */
  let wide: TestSystem;
  let narrow: TestSystem;

  before(async () => {
    receiver = await startTestReceiver();
    [wide, narrow] = await Promise.all([
      startTestSystem({ temporal: 'dev-server' }),
      // Room for all of them in every lane, so only the pool and the lock stand in their way.
      startTestSystem({ temporal: 'dev-server', workerPoolMax: 2, lanes: { perOrigin: 64 } }),
    ]);
  });

  after(async () => {
    await receiver?.close();
    await Promise.all([wide?.close(), narrow?.close()]);
  });

  /** Starts the deliveries while `events` is locked, waits for them all, and checks what each left behind. */
  async function deliverUnderLock(system: TestSystem, toStart: DeliveryToStart[]) {
    const starter = new DeliveryStarter({
      client: system.client,
      taskQueue: TEST_TASK_QUEUE,
      stores: system.stores,
      logger: pino({ level: 'silent' }),
    });
    const envelopeIdOf = new Map<string, string>();
    for (const row of await system.database
      .db('deliveries as d')
      .join('events as e', 'e.id', 'd.event_id')
      .whereIn(
        'd.id',
        toStart.map((d) => d.deliveryId),
      )
      .select('d.id', 'e.envelope_id')) {
      envelopeIdOf.set(row.id, row.envelope_id);
    }
    const requestsBefore = receiver.requests.length;
    const { lockedAt, releasedAt } = await withEventsLocked(system.database.url, LOCK_MS, async () => {
      assert.equal(await starter.start(toStart), toStart.length, 'every workflow started');
    });
    const sentWhileLocked = receiver.requests.slice(requestsBefore).filter((r) => r.receivedAt < releasedAt);
    assert.equal(sentWhileLocked.length, 0, 'nothing is sent while the attempt cannot read what it sends');

    const handles = toStart.map((d) => system.client.workflow.getHandle(d.workflowId));
    const results = await Promise.all(handles.map((h) => h.result()));
    // A duplicate of the old kind came 1 ms after the first POST; give any late one time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const agreements: DeliveryAgreement[] = [];
    for (const [index, delivery] of toStart.entries()) {
      assert.deepEqual(results[index], { status: 'success', attempts: 1 });
      assert.deepEqual(
        postsByAttempt(receiver, envelopeIdOf, delivery.deliveryId),
        { 1: 1 },
        `${delivery.deliveryId}: exactly one POST of attempt 1`,
      );
      const agreement = await assertPostgresAgreesWithTemporal(
        system.database.db,
        handles[index]!,
        delivery.deliveryId,
      );
      assert.equal(agreement.status, 'success');
      assert.equal(agreement.temporalStatus, 'COMPLETED');
      agreements.push(agreement);
    }
    const posts = receiver.requests.slice(requestsBefore);
    const firstPost = Math.min(...posts.map((p) => p.receivedAt));
    const lastPost = Math.max(...posts.map((p) => p.receivedAt));
    return { lockedAt, releasedAt, firstPost, lastPost, posts: posts.length, agreements };
  }

  describe('one delivery, the default worker pool', () => {
    it('sends attempt 1 exactly once after the lock is released, and Postgres agrees with Temporal', async () => {
      const system = wide;
      const tenant = await createTenant(system.database.db);
      await createWebhookRow(system.database.db, { ...tenant, url: receiver.url });
      const toStart = await commitEvents(system, tenant, 1);
      const run = await deliverUnderLock(system, toStart);
      const [attempt] = run.agreements[0]!.attempts;
      console.log(
        `        events locked ${run.releasedAt - run.lockedAt} ms; the one POST came ${run.firstPost - run.releasedAt} ms ` +
          `after the release; attempt 1 ended in the ${attempt!.lane} lane after ${attempt!.fastFailures} failed fast-lane ` +
          `run(s) and ${attempt!.queuedTries} queued tries, ${run.posts} POST in all`,
      );
      assert.equal(run.posts, 1);
      assert.equal(attempt!.fastFailures, 1, 'the fast lane gave up on its reads and handed the attempt on');
      assert.equal(attempt!.lane, 'standard');
      assert.ok(attempt!.queuedTries > 1, 'the standard lane retried its reads until the table was free');
    });
  });

  describe('thirty deliveries on a worker pool of 2 connections (starved while the table is locked)', () => {
    it('sends each first attempt exactly once, and every record agrees with its workflow', async () => {
      const system = narrow;
      const tenant = await createTenant(system.database.db);
      await createWebhookRow(system.database.db, { ...tenant, url: receiver.url });
      const toStart = await commitEvents(system, tenant, 30);
      const run = await deliverUnderLock(system, toStart);
      const tries = run.agreements.map((a) => a.attempts[0]!.queuedTries);
      console.log(
        `        30 deliveries, pool of 2, events locked ${run.releasedAt - run.lockedAt} ms: ${run.posts} POSTs, ` +
          `the first ${run.firstPost - run.releasedAt} ms and the last ${run.lastPost - run.releasedAt} ms after the ` +
          `release; queued tries per attempt ${Math.min(...tries)}–${Math.max(...tries)}`,
      );
      assert.equal(run.posts, 30);
      for (const { attempts } of run.agreements) {
        assert.equal(attempts[0]!.fastFailures, 1, 'every fast-lane run failed before sending');
        assert.equal(attempts[0]!.lane, 'standard');
      }
    });
  });
});
