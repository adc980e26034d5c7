import { Context } from '@temporalio/activity';

/**
 * Heartbeats every 2 s from the first line of an attempt (its heartbeat timeout is 10 s), so a slow database
 * before the POST can never make Temporal think a live worker is gone and send the same attempt again. Local
 * activities cannot heartbeat: their workflow task heartbeats for them.
 */
export function keepHeartbeating(): { stop: () => void } {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return { stop: () => undefined }; // called outside an activity (unit tests)
  }
  if (context.info.isLocal) return { stop: () => undefined };
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), 2_000);
  return { stop: () => clearInterval(timer) };
}
