import type { Logger } from 'pino';

/** A background loop: `stop` waits for a run under way, then no further run starts. */
export interface PeriodicTask {
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` (the first time after one interval, or `firstAfterMs`), one run at a time: the next
 * interval starts when a run ends, so a slow run never overlaps itself. A failed run is logged and the loop goes on.
 * `stop` aborts the signal `run` is handed, so a long run can end between two of its steps.
 */
export function startPeriodicTask(
  name: string,
  intervalMs: number,
  run: (signal: AbortSignal) => Promise<unknown>,
  logger: Logger,
  firstAfterMs = intervalMs,
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const stopping = new AbortController();
  const tick = () => {
    running = run(stopping.signal)
      .catch((err) => logger.warn({ err, task: name }, `${name} failed; retrying on the next tick`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, firstAfterMs);
  return {
    async stop() {
      stopped = true;
      stopping.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
