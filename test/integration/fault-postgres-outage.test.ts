import assert from 'node:assert/strict';
import { temporal } from '@temporalio/proto';
import { auditDelivery, printAudits } from '../support/faults/delivery-audit';
import { sleep, timersStarted, waitUntil, type FaultDelivery } from '../support/faults/fault-harness';
import { restartTestPostgres } from '../support/system/test-postgres';
import { useFaultHarness } from '../support/faults/use-fault-harness';

const DELIVERIES = 3;

describe('fault injection: Postgres stopped and started again (embedded server of the test run)', function () {
  this.timeout(90_000);
  // Stopping someone else's server is not ours to do.
  const ctx = useFaultHarness({
    receiver: 'per-test',
    skipWhen: () => Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL),
  });

  it('writes the records of attempts that ended while Postgres was down once it is back, without a second POST', async () => {
    let release!: (status: number) => void;
    const released = new Promise<number>((resolve) => (release = resolve));
    ctx.receiver.behave = (post) =>
      post.attemptNumber === 1 ? { kind: 'hold', release: released, maxMs: 30_000 } : { kind: 'answer', status: 200 };
    await ctx.harness.spawnWorker();
    const deliveries = await ctx.startDeliveries('ends-while-db-down', DELIVERIES, [0, 10_000]);
    await ctx.receiver.waitUntil((posts) => posts.length === DELIVERIES, 'first POST of every delivery', 20_000);

    const stoppedAt = Date.now();
    let endedAt = 0;
    await restartTestPostgres(async () => {
      // The attempts end now: the inline write fails, the workflow takes the sealed outcome to `recordSealedAttempt`.
      release(500);
      endedAt = Date.now();
      await waitUntil(
        async () => (await Promise.all(deliveries.map(sealedRecordsScheduled))).every((n) => n >= 1),
        'recordSealedAttempt in every history',
        15_000,
      );
      // Let `recordSealedAttempt` fail and back off a few times before Postgres returns.
      await sleep(3_000);
    });
    const backAt = Date.now();

    const audits = await Promise.all(
      deliveries.map((d) =>
        auditDelivery(ctx.harness, ctx.receiver, d, {
          status: 'success',
          attempts: 2,
          maxDuplicates: 0,
          closeWithinMs: 60_000,
        }),
      ),
    );
    printAudits('Postgres down when attempts end', audits);
    console.log(
      `        Postgres down ${backAt - stoppedAt} ms; attempts ended ${endedAt - stoppedAt} ms into the outage`,
    );
    for (const [i, delivery] of deliveries.entries()) {
      const first = await ctx.harness
        .db('attempts')
        .where({ delivery_id: delivery.deliveryId, attempt_number: 1 })
        .first();
      assert.equal(first.status, 'server_error');
      assert.equal(first.http_status_code, 500);
      const finished = new Date(first.finished_at).getTime();
      const written = new Date(first.created_at).getTime();
      assert.ok(
        finished < backAt && written >= backAt - 1_000,
        `${delivery.label}: the record keeps the attempt's own time and was written after the outage`,
      );
      assert.ok(audits[i]!.recordedLater >= 1, `${delivery.label}: the outcome was not left to recordSealedAttempt`);
      console.log(
        `        ${delivery.label}: attempt 1 ended ${finished - stoppedAt} ms into the outage, its record was written ${written - backAt} ms after Postgres came back`,
      );
    }
    assert.deepEqual(
      audits.map((a) => a.posts),
      audits.map((a) => a.attempts),
      'the receiver got exactly one POST per attempt',
    );
  });

  it('holds an attempt that falls due while Postgres is down and sends it once Postgres is back', async () => {
    const wait = 3_000;
    ctx.receiver.behave = (post) => ({ kind: 'answer', status: post.attemptNumber === 1 ? 500 : 200 });
    await ctx.harness.spawnWorker();
    const deliveries = await ctx.startDeliveries('due-while-db-down', DELIVERIES, [0, wait]);
    await waitUntil(
      async () => (await Promise.all(deliveries.map(timersStarted))).every((n) => n >= 1),
      'first wait of every delivery',
      20_000,
    );

    const stoppedAt = Date.now();
    await restartTestPostgres(async () => {
      // Attempt 2 falls due during the outage: the fast lane cannot read it and hands it to the standard lane, whose
      // activity keeps failing before it sends anything.
      await sleep(wait + 5_000);
    });
    const backAt = Date.now();
    assert.equal(
      ctx.receiver.posts.filter((p) => p.attemptNumber === 2 && p.receivedAt < backAt).length,
      0,
      'nothing was sent while Postgres was down',
    );

    const audits = await Promise.all(
      deliveries.map((d) =>
        auditDelivery(ctx.harness, ctx.receiver, d, {
          status: 'success',
          attempts: 2,
          maxDuplicates: 0,
          closeWithinMs: 60_000,
        }),
      ),
    );
    printAudits('Postgres down when an attempt is due', audits);
    console.log(`        Postgres down ${backAt - stoppedAt} ms`);
    for (const [i, delivery] of deliveries.entries()) {
      const audit = audits[i]!;
      const second = ctx.receiver.postsFor(delivery.envelopeId).find((p) => p.attemptNumber === 2)!;
      const tries = audit.queuedTries[2] ?? 0;
      assert.ok(tries > 1, `${delivery.label}: attempt 2 never had to wait for Postgres in the standard lane`);
      console.log(
        `        ${delivery.label}: attempt 2 sent ${second.receivedAt - backAt} ms after Postgres came back, on the standard lane's try ${tries}`,
      );
    }
    assert.deepEqual(
      audits.map((a) => a.posts),
      audits.map((a) => a.attempts),
      'the receiver got exactly one POST per attempt',
    );
  });
});

async function sealedRecordsScheduled(delivery: FaultDelivery): Promise<number> {
  const history = await delivery.handle.fetchHistory();
  return (history.events ?? []).filter(
    (e) =>
      e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
      e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordSealedAttempt',
  ).length;
}
