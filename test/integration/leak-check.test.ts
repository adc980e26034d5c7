import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = 'test/fixtures/leak-check';

/**
 * The leak check of test/support/root-hooks.ts, proven the only way its wiring can be: a mocha run of its own
 * (the project's .mocharc.json, so the same root hooks) over a file that leaves something open and one after it
 * that does not.
 */
describe('the per-file leak check (a mocha run of its own)', function () {
  this.timeout(60_000);

  it('fails the file that left a resource open, naming it, and not the file that runs after it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-leak-check-'));
    try {
      const report = path.join(dir, 'report.json');
      const run = await promisify(execFile)(
        process.execPath,
        [
          require.resolve('mocha/bin/mocha.js'),
          '--reporter',
          'json',
          '--reporter-option',
          `output=${report}`,
          `${FIXTURES}/leaves-a-resource-open.ts`,
          `${FIXTURES}/closes-what-it-opens.ts`,
        ],
        { cwd: ROOT },
      ).then(
        () => ({ code: 0 }),
        (err: { code: number }) => ({ code: err.code }),
      );
      const { stats, passes, failures } = JSON.parse(fs.readFileSync(report, 'utf8'));
      assert.equal(run.code, 1, 'mocha exits with the number of failures');
      assert.deepEqual(
        passes.map((test: { fullTitle: string }) => test.fullTitle),
        [
          'a file that leaves a resource open passes its own test',
          'a file that closes what it opens passes its own test',
        ],
      );
      assert.equal(stats.failures, 1);
      assert.equal(
        failures[0].fullTitle,
        'a file that leaves a resource open "after all" hook: leak check: this file closed everything it opened for "passes its own test"',
      );
      assert.equal(
        failures[0].err.message,
        `${FIXTURES}/leaves-a-resource-open.ts left these running: pretend receiver at http://127.0.0.1:9/hook`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
