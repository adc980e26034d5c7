import path from 'node:path';
import { createLogger } from '../../src/system/create-logger';
import { installTemporalRuntime } from '../../src/system/install-temporal-runtime';
import { openResources } from './system/open-resources';
import { stopTestPostgres } from './system/test-postgres';

// Quiet unless asked: TEST_LOG_LEVEL=info npm test shows the worker's and the API's logs.
installTemporalRuntime(createLogger(process.env.TEST_LOG_LEVEL ?? 'warn'));

/**
 * The run's hooks (.mocharc.json requires this file). A test file that leaves a server, pool, worker or receiver
 * open fails in an after-all hook of its own that names the file: a leak found only at the end of the run could
 * be any file's, and would keep the file after it from starting clean.
 */
export const mochaHooks = {
  beforeAll(this: Mocha.Context) {
    // Runs once, before the first file. Each file's top-level suite gets a last after-all hook, after its own.
    for (const suite of this.test?.parent?.suites ?? []) {
      const file = suite.file ? path.relative(process.cwd(), suite.file) : `suite "${suite.fullTitle()}"`;
      suite.afterAll('leak check: this file closed everything it opened', () => openResources.check(file));
    }
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopTestPostgres();
    // Whatever no file's check could see: opened outside the files' suites.
    openResources.check('the run');
  },
};
