import { ExpiringCache } from './expiring-cache';
import { HostResolutionError } from './host-resolution-error';
import type { HostResolver } from './host-resolver';
import { HostsFile } from './hosts-file';
import { KeyedConcurrencyLimit } from './keyed-concurrency-limit';
import { normalizeHost } from './parse-target-host';
import { assertDnsServers, queryAddresses } from './query-addresses';

/** What a {@link HostResolverMetrics} hook is told about, one call per occurrence. */
export type HostResolverEvent =
  /** Every call of the resolver. */
  | 'lookup'
  /** Answered from the hosts file (or as `localhost`), no DNS. */
  | 'hosts_file_hit'
  | 'cache_hit'
  /** Failed at once from the negative cache. */
  | 'negative_hit'
  /** Joined a query already under way for the same name. */
  | 'shared_query'
  /** A query went to DNS (A and AAAA, with their retries). */
  | 'query'
  /** A query ended without an answer. */
  | 'timeout'
  /** Had to wait because its team was at its cap. */
  | 'team_wait'
  /** Gave up waiting for its team's slot. */
  | 'team_wait_timeout';

/** Counters for the resolver, wired to the metrics registry by whoever builds it. */
export interface HostResolverMetrics {
  count(event: HostResolverEvent): void;
}

/** Settings for {@link createHostResolver}. */
export interface HostResolverOptions {
  /** DNS servers, `ip`, `ip:port` or `[ipv6]:port`. @default the system's, from /etc/resolv.conf at each lookup */
  servers?: readonly string[] | undefined;
  /** How long one try waits for an answer before the query is sent again. @default 2_000 */
  timeoutMs?: number;
  /** Tries per lookup: a name whose servers never answer fails with ETIMEOUT after `timeoutMs × tries`. @default 2 */
  tries?: number;
  /** How long a failed lookup (no such name, no answer, server failure) is answered from memory. @default 30_000 */
  negativeTtlMs?: number;
  /** Answers are kept for their records' TTL, but never longer than this. @default 60_000 */
  maxTtlMs?: number;
  /** Names each cache (answers, failures) holds at most; the least recently used go first. @default 10_000 */
  cacheSize?: number;
  /** DNS lookups one team may have in flight; more wait for that team's own. @default 4 */
  concurrencyPerTeam?: number;
  /** Static names answered before DNS. @default '/etc/hosts' */
  hostsFile?: string;
  /** How often the hosts file is checked for changes. @default 5_000 */
  hostsFileCheckIntervalMs?: number;
  metrics?: HostResolverMetrics;
}

// RFC 6761 6.3: localhost names are loopback without asking DNS, when the hosts file does not say otherwise.
const LOOPBACK_ADDRESSES: readonly string[] = ['127.0.0.1', '::1'];

/**
 * A resolver that cannot stall the process: names never go through getaddrinfo (`dns.lookup`), whose lookups queue
 * on libuv's small thread pool and cannot be cancelled, so one tenant's silent name server used to delay everyone's
 * attempts and the API's own lookups. Instead, in this order:
 *
 * 1. IP literals (any spelling `normalizeHost` knows) are returned as they are.
 * 2. The hosts file, then `localhost` / `*.localhost` as loopback.
 * 3. Remembered answers, for their records' TTL (at most `maxTtlMs`), and remembered failures, for `negativeTtlMs`.
 * 4. A query already under way for the same name is joined (single flight), whoever started it.
 * 5. A new A and AAAA query over c-ares, bounded by `timeoutMs × tries`.
 *
 * Only step 5 costs a slot of the caller's team (`concurrencyPerTeam`): a team at its cap waits for its own lookups,
 * never another team's, and gives up with ETIMEOUT after `timeoutMs × tries` of waiting. Callers that name no team
 * (the operator's own lookups) are not capped: c-ares has no shared queue for them to clog.
 *
 * Caching does not weaken the SSRF guard: the guarded dispatcher judges whatever this returns at every new
 * connection and pins the socket to exactly those addresses.
 */
export function createHostResolver(options: HostResolverOptions = {}): HostResolver {
  const settings = {
    servers: options.servers,
    timeoutMs: positiveInteger('timeoutMs', options.timeoutMs ?? 2_000),
    tries: positiveInteger('tries', options.tries ?? 2),
  };
  if (settings.servers !== undefined) assertDnsServers(settings.servers);
  const deadlineMs = settings.timeoutMs * settings.tries;
  const negativeTtlMs = options.negativeTtlMs ?? 30_000;
  const maxTtlMs = options.maxTtlMs ?? 60_000;
  const concurrencyPerTeam = options.concurrencyPerTeam ?? 4;
  const hostsFile = new HostsFile({ path: options.hostsFile, checkIntervalMs: options.hostsFileCheckIntervalMs });
  const answers = new ExpiringCache<string[]>(options.cacheSize ?? 10_000);
  const failures = new ExpiringCache<HostResolutionError>(options.cacheSize ?? 10_000);
  const inFlight = new Map<string, Promise<string[]>>();
  const teams = new KeyedConcurrencyLimit(concurrencyPerTeam);

  const count = (event: HostResolverEvent) => {
    try {
      options.metrics?.count(event);
    } catch {
      // A broken metrics hook must not fail a lookup.
    }
  };

  /** The answer without a new query, if there is one: cached, remembered as failed, or already on the wire. */
  const known = (name: string): Promise<string[]> | undefined => {
    const cached = answers.get(name);
    if (cached !== undefined) {
      count('cache_hit');
      return Promise.resolve([...cached]);
    }
    const failure = failures.get(name);
    if (failure !== undefined) {
      count('negative_hit');
      return Promise.reject(new HostResolutionError(failure.code, name, `${failure.message} (cached)`));
    }
    const shared = inFlight.get(name);
    if (shared !== undefined) {
      count('shared_query');
      return shared.then((addresses) => [...addresses]);
    }
    return undefined;
  };

  const query = (name: string): Promise<string[]> => {
    count('query');
    const running = queryAddresses(name, settings)
      .then(
        (answer) => {
          answers.set(name, answer.addresses, Math.min(answer.ttlSeconds * 1000, maxTtlMs));
          return answer.addresses;
        },
        (error: unknown) => {
          if (error instanceof HostResolutionError) {
            failures.set(name, error, negativeTtlMs);
            if (error.code === 'ETIMEOUT') count('timeout');
          }
          throw error;
        },
      )
      .finally(() => inFlight.delete(name));
    inFlight.set(name, running);
    return running.then((addresses) => [...addresses]);
  };

  return async (host, context) => {
    count('lookup');
    const target = normalizeHost(host);
    if (target.kind === 'ip') return [target.ip];
    const name = target.name;
    if (name === '') throw new HostResolutionError('ENOTFOUND', name, 'ENOTFOUND: empty host name');

    const pinned = hostsFile.addressesOf(name) ?? (isLocalhostName(name) ? LOOPBACK_ADDRESSES : undefined);
    if (pinned !== undefined) {
      count('hosts_file_hit');
      return [...pinned];
    }
    const early = known(name);
    if (early !== undefined) return early;

    const teamId = context?.teamId;
    if (teamId === undefined) return query(name);
    if (teams.usage(teamId).running >= concurrencyPerTeam) count('team_wait');
    const release = await teams.acquire(teamId, deadlineMs);
    if (release === undefined) {
      count('team_wait_timeout');
      throw new HostResolutionError(
        'ETIMEOUT',
        name,
        `ETIMEOUT: DNS lookup of ${name} not started within ${deadlineMs} ms: its team was at its cap of ${concurrencyPerTeam} concurrent lookups`,
      );
    }
    // While this one waited, another lookup may have answered the name or started asking.
    const meanwhile = known(name);
    if (meanwhile !== undefined) {
      release();
      return meanwhile;
    }
    try {
      return await query(name);
    } finally {
      release();
    }
  };
}

function isLocalhostName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost');
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${option} must be a positive integer, got ${value}`);
  return value;
}
