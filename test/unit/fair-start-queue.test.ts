import assert from 'node:assert/strict';
import { FairStartQueue } from '../../src/deliveries/fair-start-queue';

interface Start {
  teamId: string;
  n: number;
}

/** A run the test ends by hand, recording the order calls went out in and how many ran at once. */
function manualRuns() {
  const order: string[] = [];
  const pending: Array<{ start: Start; end: (ok: boolean) => void }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const run = (start: Start) =>
    new Promise<void>((resolve, reject) => {
      order.push(`${start.teamId}${start.n}`);
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      pending.push({
        start,
        end: (ok) => {
          running--;
          if (ok) resolve();
          else reject(new Error('Temporal did not answer'));
        },
      });
    });
  /** Ends the oldest call under way, and lets the queue hand out the next. */
  const endOldest = async (ok = true) => {
    pending.shift()!.end(ok);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { run, order, endOldest, mostAtOnce: () => mostAtOnce, pendingCount: () => pending.length };
}

const starts = (teamId: string, count: number): Start[] =>
  Array.from({ length: count }, (_, i) => ({ teamId, n: i + 1 }));

describe('FairStartQueue', function () {
  this.timeout(5_000);
  it('hands a second team its turn right after the start under way, however many the first team queued', async () => {
    const runs = manualRuns();
    const queue = new FairStartQueue<Start>(runs.run, { concurrency: 1, capacity: 10_000 });
    const flood = starts('A', 1_000).map((s) => queue.submit(s));
    const victim = queue.submit({ teamId: 'B', n: 1 });
    for (let i = 0; i < 3; i++) await runs.endOldest();
    assert.deepEqual(runs.order, ['A1', 'B1', 'A2', 'A3']);
    assert.equal(await victim, 'started');
    for (let i = 0; i < 998; i++) await runs.endOldest();
    assert.ok((await Promise.all(flood)).every((outcome) => outcome === 'started'));
  });

  it('serves teams in rounds, one start each, each team in the order it submitted', async () => {
    const runs = manualRuns();
    const queue = new FairStartQueue<Start>(runs.run, { concurrency: 1, capacity: 100 });
    const all = [...starts('A', 3), ...starts('B', 2), ...starts('C', 1)].map((s) => queue.submit(s));
    for (let i = 0; i < 6; i++) await runs.endOldest();
    assert.deepEqual(runs.order, ['A1', 'B1', 'C1', 'A2', 'B2', 'A3']);
    await Promise.all(all);
  });

  it('never has more calls under way than its concurrency', async () => {
    const runs = manualRuns();
    const queue = new FairStartQueue<Start>(runs.run, { concurrency: 4, capacity: 100 });
    const all = [...starts('A', 20), ...starts('B', 20)].map((s) => queue.submit(s));
    assert.equal(runs.pendingCount(), 4);
    assert.deepEqual(queue.depth, { waiting: 36, inFlight: 4 });
    for (let i = 0; i < 40; i++) await runs.endOldest();
    await Promise.all(all);
    assert.equal(runs.mostAtOnce(), 4);
    assert.deepEqual(queue.depth, { waiting: 0, inFlight: 0 });
  });

  it('refuses a start past its capacity at once, and takes starts again once there is room', async () => {
    const runs = manualRuns();
    const queue = new FairStartQueue<Start>(runs.run, { concurrency: 1, capacity: 2 });
    const first = queue.submit({ teamId: 'A', n: 1 }); // under way at once: not waiting
    const waiting = [queue.submit({ teamId: 'A', n: 2 }), queue.submit({ teamId: 'B', n: 1 })];
    assert.equal(await queue.submit({ teamId: 'C', n: 1 }), 'refused');
    await runs.endOldest();
    const later = queue.submit({ teamId: 'C', n: 2 });
    for (let i = 0; i < 3; i++) await runs.endOldest();
    assert.deepEqual(await Promise.all([first, ...waiting, later]), ['started', 'started', 'started', 'started']);
  });

  it('after a failed start refuses every start still waiting, of every team, and goes on with new ones', async () => {
    const runs = manualRuns();
    const queue = new FairStartQueue<Start>(runs.run, { concurrency: 1, capacity: 100 });
    const first = queue.submit({ teamId: 'A', n: 1 });
    const waiting = [...starts('A', 3).slice(1), ...starts('B', 2)].map((s) => queue.submit(s));
    await runs.endOldest(false);
    assert.equal(await first, 'failed');
    assert.deepEqual(await Promise.all(waiting), ['refused', 'refused', 'refused', 'refused']);
    const next = queue.submit({ teamId: 'B', n: 3 });
    await runs.endOldest();
    assert.equal(await next, 'started');
  });
});
