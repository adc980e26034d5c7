import type { Logger } from 'pino';

/** A background loop: `stop` waits for a run under way, then no further run starts. */
export interface PeriodicTask {
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` (the first time after one interval), one run at a time: the next interval starts
 * when a run ends, so a slow run never overlaps itself. A failed run is logged and the loop goes on.
 */
export function startPeriodicTask(
  name: string,
  intervalMs: number,
  run: () => Promise<unknown>,
  logger: Logger,
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = run()
      .catch((err) => logger.warn({ err, task: name }, `${name} failed; retrying on the next tick`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
