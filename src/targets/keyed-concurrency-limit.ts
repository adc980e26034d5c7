/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

interface KeyState {
  running: number;
  waiting: Array<(release: ReleaseSlot) => void>;
}

/**
 * At most `limit` holders per key at a time; the rest wait in line (first come, first served) for a slot of their
 * own key only, so a key that is at its limit never delays another key. Keys with nothing running take no memory.
 */
export class KeyedConcurrencyLimit {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  /** A slot for `key`, or `undefined` when none came free within `waitMs`. */
  acquire(key: string, waitMs: number): Promise<ReleaseSlot | undefined> {
    let state = this.keys.get(key);
    if (state === undefined) {
      state = { running: 0, waiting: [] };
      this.keys.set(key, state);
    }
    if (state.running < this.limit) {
      state.running += 1;
      return Promise.resolve(this.releaser(key, state));
    }
    const queue = state;
    return new Promise((resolve) => {
      const waiter = (release: ReleaseSlot) => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        queue.waiting.splice(queue.waiting.indexOf(waiter), 1);
        resolve(undefined);
      }, waitMs);
      queue.waiting.push(waiter);
    });
  }

  /** Holders and waiters of `key`, for tests and metrics. */
  usage(key: string): { running: number; waiting: number } {
    const state = this.keys.get(key);
    return { running: state?.running ?? 0, waiting: state?.waiting.length ?? 0 };
  }

  private releaser(key: string, state: KeyState): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = state.waiting.shift();
      // The slot passes straight to the next in line, so `running` stays as it is.
      if (next !== undefined) {
        next(this.releaser(key, state));
        return;
      }
      state.running -= 1;
      if (state.running === 0) this.keys.delete(key);
    };
  }
}
