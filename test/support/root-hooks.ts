import { stopTestPostgres } from './test-postgres';

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
