import type { Client } from '@temporalio/client';

/** Calls that lost their race against the deadline and have not ended yet, per client. */
const lateCalls = new WeakMap<Client, Set<Promise<unknown>>>();

/**
 * Runs a Temporal call that must end by `deadline` (epoch ms), and really ends waiting for it then. The client's
 * gRPC deadline alone is not enough: with the server away, the SDK's retry interceptor sleeps between tries (up to
 * 5 s) without looking at the deadline, so a 2 s deadline answered after 3.0-3.3 s and an 800 ms one after up to
 * 1.0 s (measured against a stopped dev server); an abort signal does not cut those sleeps either. So the call also
 * races a timer. A call that loses the race still ends by itself shortly after its deadline, and what it did stays
 * done: callers only act on calls that answered (a start or cancel that lands late is repeated, idempotently, by
 * its sweep). Until it ends it is kept in `lateCalls`, so closing the connection can wait for it
 * (`settleLateCalls`): a retry timer firing on a closed channel throws outside any caller.
 */
export async function withinDeadline<T>(client: Client, deadline: number, call: () => Promise<T>): Promise<T> {
  const running = client.withDeadline(deadline, call);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        trackLateCall(client, running);
        reject(new Error('Temporal did not answer before the deadline'));
      },
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function trackLateCall(client: Client, running: Promise<unknown>): void {
  let calls = lateCalls.get(client);
  if (!calls) lateCalls.set(client, (calls = new Set()));
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  calls.add(settled);
  void settled.then(() => calls.delete(settled));
}

/** Waits (at most `maxWaitMs`) for the calls that lost their race on this client to end; call before closing it. */
export async function settleLateCalls(client: Client, maxWaitMs: number): Promise<void> {
  const calls = [...(lateCalls.get(client) ?? [])];
  if (calls.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(calls),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
    }),
  ]);
  clearTimeout(timer);
}
