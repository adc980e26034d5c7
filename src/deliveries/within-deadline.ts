import type { Client } from '@temporalio/client';

/**
 * Runs a Temporal call that must end by `deadline` (epoch ms), and really ends waiting for it then. The client's
 * gRPC deadline alone is not enough: with the server away, the SDK's retry interceptor sleeps between tries (up to
 * 5 s) without looking at the deadline, so a 2 s deadline answered after 3.0-3.3 s and an 800 ms one after up to
 * 1.0 s (measured against a stopped dev server); an abort signal does not cut those sleeps either. So the call also
 * races a timer. A call that loses the race still ends by itself shortly after its deadline, and what it did stays
 * done: callers only act on calls that answered (a start or cancel that lands late is repeated, idempotently, by
 * its sweep).
 */
export async function withinDeadline<T>(client: Client, deadline: number, call: () => Promise<T>): Promise<T> {
  const running = client.withDeadline(deadline, call);
  // The race's loser settles later, unobserved.
  running.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('Temporal did not answer before the deadline')),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}
