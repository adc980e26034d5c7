import { Resolver } from 'node:dns/promises';
import { HostResolutionError } from './host-resolution-error';

/** How long a query may take. */
export interface QuerySettings {
  /** Each try waits this long for an answer before the query is sent again. */
  timeoutMs: number;
  /** Tries in all; with no answer to any of them the lookup fails with ETIMEOUT after `timeoutMs × tries`. */
  tries: number;
}

/** A name's addresses (IPv4 first, then IPv6) and how long the shortest-lived of their records may be kept. */
export interface AddressAnswer {
  addresses: string[];
  ttlSeconds: number;
}

/**
 * A c-ares channel (no libuv thread pool, nothing shared with getaddrinfo) that sends each query once per server.
 * Retries are {@link queryAddresses}'s: c-ares doubles its timeout on every retry and Node only checks c-ares
 * timeouts on a timer of the timeout's own period, so `{ timeout: 2000, tries: 2 }` measured 4-8 s, not 4 s.
 *
 * @param servers `ip`, `ip:port` or `[ipv6]:port`; none: the system's (`/etc/resolv.conf`, read now, once)
 */
export function createDnsChannel(servers: readonly string[] | undefined, timeoutMs: number): Resolver {
  const channel = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers !== undefined && servers.length > 0) channel.setServers([...servers]);
  return channel;
}

/**
 * The A and AAAA records of `name`, asked in parallel. One family without records is fine; with none at all the
 * error says why, with a stable `code`: `ENOTFOUND` (no such name, or no address records), `ETIMEOUT` (no answer
 * in time), or the server's own answer (`ESERVFAIL`, `EREFUSED`, `ECONNREFUSED`, ...).
 *
 * Names go out as they are (`ares_query`): no search domains, so `redis` is asked as `redis`. Single-label names
 * are refused as targets anyway unless private targets are allowed.
 */
export async function queryAddresses(channel: Resolver, name: string, settings: QuerySettings): Promise<AddressAnswer> {
  const [ipv4, ipv6] = await Promise.all([
    queryFamily(() => channel.resolve4(name, { ttl: true }), settings),
    queryFamily(() => channel.resolve6(name, { ttl: true }), settings),
  ]);
  const found = [ipv4, ipv6].flatMap((outcome) => (outcome.kind === 'records' ? [outcome] : []));
  if (found.length > 0) {
    return {
      addresses: found.flatMap((outcome) => outcome.addresses),
      ttlSeconds: Math.min(...found.map((outcome) => outcome.ttlSeconds)),
    };
  }
  // NXDOMAIN for either family means the name does not exist at all; no data for both means no address records.
  const outcomes = [ipv4, ipv6];
  if (outcomes.some((o) => o.kind === 'none' && o.code === 'ENOTFOUND') || outcomes.every((o) => o.kind === 'none')) {
    throw new HostResolutionError('ENOTFOUND', name, `ENOTFOUND: DNS has no A or AAAA record for ${name}`);
  }
  const failure = outcomes.find((o) => o.kind === 'error');
  if (failure?.kind === 'error') {
    throw new HostResolutionError(
      failure.code,
      name,
      `${failure.code}: DNS lookup of ${name} failed (${failure.what})`,
    );
  }
  throw new HostResolutionError(
    'ETIMEOUT',
    name,
    `ETIMEOUT: no DNS answer for ${name} (${settings.tries} ${settings.tries === 1 ? 'try' : 'tries'} of ${settings.timeoutMs} ms)`,
  );
}

type FamilyOutcome =
  | { kind: 'records'; addresses: string[]; ttlSeconds: number }
  | { kind: 'none'; code: 'ENOTFOUND' | 'ENODATA' }
  | { kind: 'error'; code: string; what: string }
  | { kind: 'timeout' };

const WHAT_FAILED: Record<string, string> = {
  ESERVFAIL: 'the DNS server reported a failure',
  EREFUSED: 'the DNS server refused the query',
  ECONNREFUSED: 'the DNS server could not be reached',
  EFORMERR: 'the DNS server found the query malformed',
  EBADRESP: 'the DNS server sent a malformed answer',
  EBADNAME: 'not a valid host name',
};

/**
 * One family's records. The query is sent again when a try has had no answer for `timeoutMs` (or c-ares gave up on
 * it sooner), and every query sent stays in the race: a late answer to the first one is as good as the second's.
 */
function queryFamily(
  query: () => Promise<Array<{ address: string; ttl: number }>>,
  settings: QuerySettings,
): Promise<FamilyOutcome> {
  return new Promise((settle) => {
    let finished = false;
    let sent = 0;
    let timedOut = 0;
    let nextTry: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => finish({ kind: 'timeout' }), settings.timeoutMs * settings.tries);
    const finish = (outcome: FamilyOutcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(nextTry);
      clearTimeout(deadline);
      settle(outcome);
    };
    const send = () => {
      if (finished || sent === settings.tries) return;
      sent += 1;
      clearTimeout(nextTry);
      nextTry = setTimeout(send, settings.timeoutMs);
      query().then(
        (records) =>
          finish(
            records.length === 0
              ? { kind: 'none', code: 'ENODATA' }
              : {
                  kind: 'records',
                  addresses: records.map((record) => record.address),
                  ttlSeconds: Math.min(...records.map((record) => record.ttl)),
                },
          ),
        (error: NodeJS.ErrnoException) => {
          const code = error.code ?? 'EUNKNOWN';
          if (code === 'ETIMEOUT') {
            timedOut += 1;
            if (timedOut === settings.tries) finish({ kind: 'timeout' });
            else send();
          } else if (code === 'ENOTFOUND' || code === 'ENODATA') {
            finish({ kind: 'none', code });
          } else {
            finish({ kind: 'error', code, what: WHAT_FAILED[code] ?? error.message });
          }
        },
      );
    };
    send();
  });
}
