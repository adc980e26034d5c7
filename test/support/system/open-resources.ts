/**
 * Servers, systems, receivers and processes that tests opened and must close. Each helper in test/support
 * registers what it starts and unregisters it when it is closed.
 *
 * Test files run one after another, so whatever is still open when a file's check runs, and was not already
 * reported, was opened by that file: the check names it, and the next file is not blamed for it.
 */
export class OpenResources {
  private readonly open = new Map<object, { description: string; reported: boolean }>();

  /** Registers `resource`; the answer unregisters it (call it once the resource is closed). */
  track(resource: object, description: string): () => void {
    this.open.set(resource, { description, reported: false });
    return () => {
      this.open.delete(resource);
    };
  }

  /** Ends `owner`'s share: throws naming it and everything it left open, which is reported only this once. */
  check(owner: string): void {
    const leaked = [...this.open.values()].filter((entry) => !entry.reported);
    for (const entry of leaked) entry.reported = true;
    if (leaked.length > 0)
      throw new Error(`${owner} left these running: ${leaked.map((entry) => entry.description).join('; ')}`);
  }
}

/** The run's tracker: the helpers register with it, the root hooks check it after every test file. */
export const openResources = new OpenResources();

export function trackResource(resource: object, description: string): () => void {
  return openResources.track(resource, description);
}
