import { createLogger } from '../../src/system/create-logger';
import { installTemporalRuntime } from '../../src/system/install-temporal-runtime';
import { stopTestPostgres } from './system/test-postgres';

// Quiet unless asked: TEST_LOG_LEVEL=info npm test shows the worker's and the API's logs.
installTemporalRuntime(createLogger(process.env.TEST_LOG_LEVEL ?? 'warn'));

/**
 * Servers, systems and receivers a test opened and must close: each helper in test/support registers what it
 * starts and unregisters it when closed. A run that leaves one open fails, naming it.
 */
const openResources = new Map<object, string>();

export function trackResource(resource: object, description: string): () => void {
  openResources.set(resource, description);
  return () => openResources.delete(resource);
}

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    const leaked = [...openResources.values()];
    await stopTestPostgres();
    if (leaked.length > 0) throw new Error(`tests left these running: ${leaked.join('; ')}`);
  },
};
