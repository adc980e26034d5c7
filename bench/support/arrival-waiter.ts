/**
 * Waits for ids to arrive, woken by whoever notes an arrival (a receiver, a workflow's sink) instead of polling, so
 * the next step starts the moment the last one is done. Every wait is bounded by its deadline.
 */
export class ArrivalWaiter {
  private readonly waiting = new Map<string, () => void>();

  /** Wakes whoever waits for `id`, to check again; call it once the arrival is noted. */
  wake(id: string): void {
    this.waiting.get(id)?.();
  }

  async waitFor(ids: readonly string[], arrived: (id: string) => boolean, deadline: number): Promise<void> {
    for (;;) {
      const missing = ids.filter((id) => !arrived(id));
      if (missing.length === 0 || Date.now() >= deadline) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, Math.min(1_000, deadline - Date.now())));
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        for (const id of missing) this.waiting.set(id, wake);
      });
    }
    for (const id of ids) this.waiting.delete(id);
  }
}
