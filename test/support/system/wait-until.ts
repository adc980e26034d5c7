/** Polls `check` every `intervalMs` until it holds; rejects naming `what` after `timeoutMs`. Errors count as "not yet". */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`no ${what} within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** {@link waitUntil} for conditions that need no name in the failure message. */
export function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  return waitUntil(check, 'expected condition', timeoutMs);
}
