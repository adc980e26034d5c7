import { AsyncLocalStorage } from 'node:async_hooks';

// net.connect's `lookup` hook gets only the host name, so the team rides along with the async context instead.
const team = new AsyncLocalStorage<string>();

/**
 * Runs `work` (a webhook attempt) on behalf of `teamId`: the DNS lookups the guarded dispatcher makes for it count
 * against that team's concurrency budget. A new connection's lookup belongs to the attempt that opened it; a pooled
 * socket it reuses needs no lookup.
 */
export function withResolutionTeam<T>(teamId: string, work: () => T): T {
  return team.run(teamId, work);
}

/** The team of the attempt running now, if it said. */
export function currentResolutionTeam(): string | undefined {
  return team.getStore();
}
