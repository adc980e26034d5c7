import assert from 'node:assert/strict';
import { auditDelivery, printAudits } from '../support/faults/delivery-audit';
import { sleep, timersStarted, waitUntil } from '../support/faults/fault-harness';
import type { WorkerProcess } from '../support/system/worker-process';
import { useFaultHarness } from '../support/faults/use-fault-harness';

const DELIVERIES = 3;
const WAIT_MS = 8_000;
/** How long the server stays away: long enough for every worker poll to fail and back off. */
const DOWN_MS = 4_000;

describe('fault injection: the Temporal dev server restarted (persisted, same port)', function () {
  this.timeout(90_000);
  const ctx = useFaultHarness({ receiver: 'per-file' });

  it('finishes every delivery with all its attempts after a restart in the middle of the schedule', async () => {
    ctx.receiver.behave = (post) => ({ kind: 'answer', status: post.attemptNumber < 3 ? 500 : 200 });
    const worker = await ctx.harness.spawnWorker();
    const deliveries = await ctx.startDeliveries('temporal-restart', DELIVERIES, [0, WAIT_MS, WAIT_MS]);
    await waitUntil(
      async () => (await Promise.all(deliveries.map(timersStarted))).every((n) => n >= 1),
      'first wait of every delivery',
      20_000,
    );

    const stoppedAt = Date.now();
    let downMs = 0;
    await ctx.harness.restartTemporal(async () => {
      await sleep(DOWN_MS);
      downMs = Date.now() - stoppedAt;
    });
    const backAt = Date.now();
    assert.equal(
      ctx.receiver.posts.filter((p) => p.receivedAt > stoppedAt && p.receivedAt < backAt).length,
      0,
      'nothing was sent while Temporal was down',
    );

    // The worker process should reconnect by itself; if the SDK gave up on the server, say so and replace it.
    let replacement: WorkerProcess | undefined;
    await sleep(1_000);
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
      console.log(
        `        the worker process exited (${worker.child.exitCode ?? worker.child.signalCode}) while Temporal was down:\n${worker.output.join('').slice(-2_000)}`,
      );
      replacement = await ctx.harness.spawnWorker();
    }

    const audits = await Promise.all(
      deliveries.map((d) =>
        auditDelivery(ctx.harness, ctx.receiver, d, {
          status: 'success',
          attempts: 3,
          maxDuplicates: 0,
          closeWithinMs: 60_000,
        }),
      ),
    );
    printAudits('Temporal dev server restarted during a wait', audits);
    const pollErrors = worker.output
      .join('')
      .split('\n')
      .filter((line) => /"level":(40|50|60)/.test(line)).length;
    console.log(
      `        server down ${downMs} ms, back ${backAt - stoppedAt} ms after the stop; ` +
        `worker ${replacement ? 'REPLACED (the SDK gave up)' : 'reconnected by itself'} (${pollErrors} warning/error log lines meanwhile)`,
    );
    assert.equal(replacement, undefined, 'the worker process survived the restart and reconnected by itself');
    assert.ok(
      worker.child.exitCode === null && worker.child.signalCode === null,
      'the worker process is still running',
    );
    for (const audit of audits) {
      assert.ok(
        audit.gapsMs.every((gap) => gap >= WAIT_MS),
        `${audit.label}: an attempt came early: ${JSON.stringify(audit.gapsMs)}`,
      );
    }
  });

  it('keeps the outcome of a POST that ends while Temporal is down', async () => {
    let release!: (status: number) => void;
    const released = new Promise<number>((resolve) => (release = resolve));
    ctx.receiver.behave = (post) =>
      post.attemptNumber === 1 && ctx.receiver.postsFor(post.envelopeId).length === 1
        ? { kind: 'hold', release: released, maxMs: 30_000 }
        : { kind: 'answer', status: post.attemptNumber === 1 ? 500 : 200 };
    const before = ctx.receiver.posts.length;
    await ctx.harness.spawnWorker();
    const deliveries = await ctx.startDeliveries('ends-while-down', DELIVERIES, [0, 3_000]);
    await ctx.receiver.waitUntil(
      (posts) => posts.length === before + DELIVERIES,
      'first POST of every delivery',
      20_000,
    );
    const stoppedAt = Date.now();
    await ctx.harness.restartTemporal(async () => {
      release(500);
      await sleep(DOWN_MS);
    });
    console.log(
      `        Temporal back ${Date.now() - stoppedAt} ms after the stop; the attempts in flight ended while it was down`,
    );
    const audits = await Promise.all(
      deliveries.map((d) =>
        auditDelivery(ctx.harness, ctx.receiver, d, {
          status: 'success',
          attempts: 2,
          maxDuplicates: 1,
          closeWithinMs: 75_000,
        }),
      ),
    );
    printAudits('Temporal down when an attempt ends', audits);
  });
});
