import assert from 'node:assert/strict';
import { auditDelivery, printAudits } from '../support/faults/delivery-audit';
import { sleep, timersStarted, waitUntil } from '../support/faults/fault-harness';
import { useFaultHarness } from '../support/faults/use-fault-harness';

/** Deliveries per fault: enough that one lucky timing cannot make the test pass. */
const DELIVERIES = 3;

describe('fault injection: a delivery worker SIGKILLed (dev server, workers in child processes)', function () {
  this.timeout(90_000);
  const ctx = useFaultHarness({ receiver: 'per-test' });

  it('repeats a POST cut off by the crash once, in the fast lane and in a queued lane, and records it once', async () => {
    // The first POST of each delivery is held open ~3 s and answered 200 afterwards: by then its worker is dead and
    // nobody reads the answer. The repeated attempt 1 gets 500, so the schedule has to carry on after the lost
    // activity too; attempt 2 gets 200.
    ctx.receiver.behave = (post) =>
      ctx.receiver.postsFor(post.envelopeId).length === 1
        ? { kind: 'hold', release: sleep(3_000).then(() => 200), maxMs: 10_000 }
        : { kind: 'answer', status: post.attemptNumber === 1 ? 500 : 200 };
    // One fast-lane slot: the first delivery's attempt holds it, the others wait their 100 ms and go to the
    // standard lane. So the crash hits a local activity (the fast lane) and queued activities at once.
    const lanes = { ATTEMPT_SLOTS_FAST: '1' };
    const first = await ctx.harness.spawnWorker(lanes);
    const deliveries = await ctx.startDeliveries('kill-during-post', DELIVERIES, [0, 3_000, 3_000]);
    await ctx.receiver.waitUntil((posts) => posts.length === DELIVERIES, 'first POST of every delivery', 20_000);
    await sleep(1_000);
    const killedAt = Date.now();
    await first.kill('SIGKILL');
    await ctx.harness.spawnWorker(lanes);

    // Fast lane: the local activity dies with its workflow task, which times out after 5 s; the new worker runs the
    // task again, and with it the attempt. Queued lane: the attempt heartbeats every 2 s with a 10 s heartbeat
    // timeout, so the server retries the lost activity on the new worker about 10 s after the crash (not after the
    // 50 s start-to-close timeout).
    const audits = await Promise.all(
      deliveries.map((d) =>
        auditDelivery(ctx.harness, ctx.receiver, d, {
          status: 'success',
          attempts: 2,
          maxDuplicates: 1,
          closeWithinMs: 70_000,
        }),
      ),
    );
    printAudits('SIGKILL during a POST', audits);
    for (const delivery of deliveries) {
      const [cut, repeated] = ctx.receiver.postsFor(delivery.envelopeId);
      assert.ok(cut && repeated, `${delivery.label}: the cut POST was not repeated`);
      assert.ok(
        cut.abandoned && cut.endedAt! - killedAt < 1_000,
        `${delivery.label}: the kill did not close the connection of the POST in flight`,
      );
      assert.equal(repeated.attemptNumber, 1, 'the repeat is the same attempt, not the next one');
      assert.ok(
        repeated.receivedAt - killedAt < 20_000,
        `${delivery.label}: the lost attempt was noticed late (${repeated.receivedAt - killedAt} ms)`,
      );
      console.log(
        `        ${delivery.label}: connection dropped ${cut.endedAt! - killedAt} ms after the kill; POST repeated ${repeated.receivedAt - cut.receivedAt} ms after the first`,
      );
    }
    assert.deepEqual(
      audits.map((a) => a.duplicates),
      Array(DELIVERIES).fill(1),
      'exactly the cut POST is repeated, once',
    );
    const lanesHit = audits.map((a) => (a.queuedTries[1] === undefined ? 'fast' : `queued, try ${a.queuedTries[1]}`));
    console.log(`        attempt 1 ran in: ${lanesHit.join('; ')}`);
    assert.equal(lanesHit.filter((l) => l === 'fast').length, 1, 'one attempt 1 was cut in the fast lane');
    assert.deepEqual(
      audits.filter((a) => a.queuedTries[1] !== undefined).map((a) => a.queuedTries[1]),
      Array(DELIVERIES - 1).fill(2),
      'the others were cut in the standard lane and ran again as the second try of their activity',
    );
  });

  it('makes the next attempt on time when the worker dies during the wait and another takes over', async () => {
    const wait = 8_000;
    ctx.receiver.behave = (post) => ({ kind: 'answer', status: post.attemptNumber < 3 ? 500 : 200 });
    // One fast-lane slot: the first delivery's attempt holds it, the others wait their 100 ms and go to the
    // standard lane. So the crash hits a local activity (the fast lane) and queued activities at once.
    const lanes = { ATTEMPT_SLOTS_FAST: '1' };
    const first = await ctx.harness.spawnWorker(lanes);
    const deliveries = await ctx.startDeliveries('kill-during-wait', DELIVERIES, [0, wait, wait]);
    // "During the wait" means once the timer runs: a kill between the attempt's end and the workflow task that
    // starts the timer is a different fault (that task then waits out its own 10 s timeout).
    const waiting = (n: number) => async () =>
      (await Promise.all(deliveries.map(timersStarted))).every((count) => count >= n);

    // Kill 1: the only worker dies during the first wait; its replacement starts only afterwards.
    await waitUntil(waiting(1), 'first wait of every delivery', 20_000, 100);
    const firstKillAt = Date.now();
    await first.kill('SIGKILL');
    const second = await ctx.harness.spawnWorker();
    const replacementMs = Date.now() - firstKillAt;

    // Kill 2: a standby worker is up before the one that made attempt 2 dies during the second wait.
    await waitUntil(waiting(2), 'second wait of every delivery', wait + 15_000, 100);
    await ctx.harness.spawnWorker();
    const secondKillAt = Date.now();
    await second.kill('SIGKILL');

    const audits = await Promise.all(
      deliveries.map((d) =>
        auditDelivery(ctx.harness, ctx.receiver, d, {
          status: 'success',
          attempts: 3,
          maxDuplicates: 0,
          closeWithinMs: 30_000,
        }),
      ),
    );
    printAudits('SIGKILL during a wait', audits);
    console.log(`        replacement worker ready ${replacementMs} ms after kill 1`);
    for (const [i, audit] of audits.entries()) {
      const delivery = deliveries[i]!;
      assert.deepEqual(await delivery.handle.result(), { status: 'success', attempts: 3 }, `${audit.label}: result`);
      assert.deepEqual(
        audit.attemptStatuses,
        ['server_error', 'server_error', 'success'],
        `${audit.label}: the recorded outcomes`,
      );
      const posts = ctx.receiver.postsFor(delivery.envelopeId);
      const [first, second, third] = posts.map((p) => p.receivedAt);
      assert.ok(
        firstKillAt < second! && secondKillAt < third!,
        `${audit.label}: a kill missed the wait it was meant for`,
      );
      for (const gap of audit.gapsMs) {
        assert.ok(gap >= wait, `${audit.label}: an attempt came early (${gap} ms after the previous one ended)`);
        // Up to the 2 s sticky-queue timeout (create-delivery-worker.ts) plus a POST on loopback.
        assert.ok(gap < wait + 3_500, `${audit.label}: an attempt came late (${gap} ms after the previous one ended)`);
      }
      // The same bound from POST to POST, so the time an attempt takes to end cannot hide a late one either.
      for (const [from, to] of [
        [first!, second!],
        [second!, third!],
      ] as const) {
        assert.ok(
          to - from < wait + 3_500,
          `${audit.label}: an attempt came late (${to - from} ms after the POST before)`,
        );
      }
      console.log(
        `        ${audit.label}: POST to POST ${second! - first!} ms, ${third! - second!} ms (schedule: ${wait} ms)`,
      );
    }
  });
});
