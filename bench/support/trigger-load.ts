import { randomUUID } from 'node:crypto';

/** How a scenario's internal service behaves: how many events, how many at once, to which route. */
export interface TriggerLoad {
  apiUrl: string;
  token: string;
  routeId: string;
  events: number;
  concurrency: number;
  /** Stop triggering past this instant (ms since the epoch). */
  deadline: number;
  /** Events one request carries; 1 posts to /v1/events, more to /v1/events/batch. @default 1 */
  batch?: number;
  /** Wait between one request's answer and the next request of the same lane. @default 0 */
  pauseMs?: number;
  /** Awaited after each accepted request, before its lane sends the next (e.g. until its deliveries arrived). */
  afterEach?: (ids: readonly string[]) => Promise<void>;
  event?: string;
}

export interface TriggerRun {
  /** When each event id was triggered (performance.now()). */
  triggeredAt: Map<string, number>;
  /** Request round trips in ms (202s only). */
  latencies: number[];
  /** Answers other than 202 and 429 (429 is retried after its Retry-After, as a good client does). */
  failed: number;
  throttled: number;
  startedAt: number;
}

/** Triggers the events through the API, `concurrency` requests at a time, honouring 429 with Retry-After. */
export async function runTriggers(load: TriggerLoad): Promise<TriggerRun> {
  const run: TriggerRun = {
    triggeredAt: new Map(),
    latencies: [],
    failed: 0,
    throttled: 0,
    startedAt: performance.now(),
  };
  const batch = load.batch ?? 1;
  const prefix = randomUUID().slice(0, 8);
  let next = 0;
  const lane = async () => {
    while (next < load.events && Date.now() < load.deadline) {
      const ids = Array.from({ length: Math.min(batch, load.events - next) }, () => `bench-${prefix}-${next++}`);
      const events = ids.map((id) => ({
        route_id: load.routeId,
        event: load.event ?? 'message.delivered',
        id,
        data: { message_id: id, to: 'bench@example.com' },
      }));
      for (;;) {
        const started = performance.now();
        for (const id of ids) if (!run.triggeredAt.has(id)) run.triggeredAt.set(id, started);
        const response = await fetch(`${load.apiUrl}/v1/events${batch > 1 ? '/batch' : ''}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${load.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(batch > 1 ? { events } : events[0]),
        });
        await response.arrayBuffer();
        if (response.status === 202) {
          run.latencies.push(performance.now() - started);
          await load.afterEach?.(ids);
          break;
        }
        if (response.status === 429 && Date.now() < load.deadline) {
          run.throttled++;
          const wait = Number(response.headers.get('retry-after') ?? 1) * 1000;
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
        run.failed += ids.length;
        break;
      }
      if (load.pauseMs) await new Promise((resolve) => setTimeout(resolve, load.pauseMs));
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, lane));
  return run;
}

/** Waits until every id arrived `perId` times at the receiver (or the deadline passed); answers how many did. */
export async function awaitReceipts(
  receivedAt: Map<string, number[]>,
  ids: readonly string[],
  perId: number,
  deadline: number,
): Promise<number> {
  const count = () => ids.reduce((n, id) => n + Math.min(receivedAt.get(id)?.length ?? 0, perId), 0);
  while (count() < ids.length * perId && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return count();
}
