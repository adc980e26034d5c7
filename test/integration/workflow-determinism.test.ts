import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { sharedWorkflowBundle } from '../support/system/test-temporal';

const HISTORIES = path.resolve(__dirname, '../fixtures/histories');

/**
 * Deliveries sleep for hours: a worker deployed today replays histories written by yesterday's code. Every saved
 * history must replay against the current workflow code without a non-determinism error.
 */
describe('delivery workflow determinism (replay of saved histories)', function () {
  this.timeout(60_000);
  const files = fs
    .readdirSync(HISTORIES)
    .filter((file) => file.endsWith('.history.pb'))
    .sort();

  it('has saved histories to replay', () => {
    assert.ok(files.length >= 5, `only ${files.length} histories in ${HISTORIES}`);
  });

  for (const file of files) {
    it(`replays ${file.replace(/\.history\.pb$/, '')} deterministically`, async () => {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(HISTORIES, file)));
      await Worker.runReplayHistory({ workflowBundle: await sharedWorkflowBundle() }, history);
    });
  }
});
