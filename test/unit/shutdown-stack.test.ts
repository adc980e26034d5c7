import assert from 'node:assert/strict';
import pino from 'pino';
import { ShutdownStack } from '../../src/system/shutdown-stack';

/** A real pino logger whose lines the test reads. */
function capturingLogger() {
  const lines: Array<{ level: number; msg: string; step?: string; err?: { message: string } }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('ShutdownStack', () => {
  it('stops in reverse order of start, each step after the one before has finished', async () => {
    const { logger } = capturingLogger();
    const stack = new ShutdownStack(logger);
    const events: string[] = [];
    for (const name of ['postgres', 'temporal', 'worker', 'api']) {
      stack.push(name, async () => {
        events.push(`${name} stopping`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`${name} stopped`);
      });
    }
    await stack.stopAll();
    assert.deepEqual(events, [
      'api stopping',
      'api stopped',
      'worker stopping',
      'worker stopped',
      'temporal stopping',
      'temporal stopped',
      'postgres stopping',
      'postgres stopped',
    ]);
  });

  it('goes on with the other steps when one throws or rejects, and logs which one failed', async () => {
    const { logger, lines } = capturingLogger();
    const stack = new ShutdownStack(logger);
    const stopped: string[] = [];
    stack.push('postgres', () => stopped.push('postgres'));
    stack.push('temporal', async () => {
      throw new Error('port busy');
    });
    stack.push('worker', () => stopped.push('worker'));
    stack.push('api', () => {
      throw new Error('socket gone');
    });
    await stack.stopAll();
    assert.deepEqual(stopped, ['worker', 'postgres']);
    const failures = lines.filter((line) => line.msg === 'failed to stop cleanly');
    assert.deepEqual(
      failures.map((line) => [line.level, line.step, line.err?.message]),
      [
        [50, 'api', 'socket gone'],
        [50, 'temporal', 'port busy'],
      ],
    );
    assert.deepEqual(
      lines.filter((line) => line.msg === 'stopped').map((line) => line.step),
      ['worker', 'postgres'],
    );
  });

  it('stops everything once, however often and however concurrently it is asked', async () => {
    const { logger } = capturingLogger();
    const stack = new ShutdownStack(logger);
    let stops = 0;
    stack.push('api', async () => {
      stops++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    const first = stack.stopAll();
    const concurrent = stack.stopAll();
    assert.equal(concurrent, first, 'a call while stopping waits for the same stop');
    await first;
    await stack.stopAll();
    assert.equal(stops, 1);
  });

  it('stops on the first SIGINT or SIGTERM and exits 0, and exits 130 at once on a second', async () => {
    const { logger } = capturingLogger();
    const stack = new ShutdownStack(logger);
    let stopped = 0;
    stack.push('api', () => stopped++);
    const exits: number[] = [];
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    stack.stopOnSignals((code) => exits.push(code));
    // Call the handlers it installed directly, so no other listener of this process hears a signal.
    const installed = (signal: 'SIGINT' | 'SIGTERM') =>
      process.listeners(signal).filter((listener) => !before[signal].includes(listener));
    try {
      assert.equal(installed('SIGINT').length, 1);
      assert.equal(installed('SIGTERM').length, 1);
      installed('SIGTERM')[0]!('SIGTERM');
      await stack.stopAll();
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(exits, [0]);
      installed('SIGINT')[0]!('SIGINT');
      assert.deepEqual(exits, [0, 130]);
      assert.equal(stopped, 1);
    } finally {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        for (const listener of installed(signal)) process.removeListener(signal, listener);
      }
    }
  });
});
