import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `tick` every `intervalMs` while `active`, one call at a time, and stops on unmount: for waiting on what
 * the API will know shortly (a test attempt landing, a replay job's progress).
 */
export function usePolling(active: boolean, intervalMs: number, tick: () => Promise<void>): void {
  const latestTick = useRef(tick);
  latestTick.current = tick;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        await latestTick.current();
      } finally {
        if (!stopped) timer = setTimeout(run, intervalMs);
      }
    };
    timer = setTimeout(run, intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [active, intervalMs]);
}
