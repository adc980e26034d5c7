import { Resolver } from 'node:dns/promises';
import { HostResolutionError } from './host-resolution-error';

/** Where to ask and how long to wait. */
export interface QuerySettings {
  /** `ip`, `ip:port` or `[ipv6]:port`; none: the system's, from `/etc/resolv.conf` as it is at each lookup. */
  servers: readonly string[] | undefined;
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
 * The A and AAAA records of `name`, over c-ares (no libuv thread pool, nothing shared with getaddrinfo), asked in
 * parallel. One family without records is fine; with none at all the error says why, with a stable `code`:
 * `ENOTFOUND` (no such name, or no address records), `ETIMEOUT` (no answer in time), or the server's own answer
 * (`ESERVFAIL`, `EREFUSED`, `ECONNREFUSED`, ...).
 *
 * Each try is a fresh c-ares channel that sends the query once per server, the servers rotated by one per try, and
 * the next try goes out when the last one has had no answer for `timeoutMs`. Every try stays in the race until the
 * deadline (a late answer to the first is as good as the second's); then all are cancelled, so nothing lingers. Why
 * not c-ares's own retries: it doubles the timeout on every retry, shrinks it to 5 × a server's average latency
 * (250 ms at least) once it has seen a few answers, and Node only looks at c-ares timeouts on a timer of the
 * timeout's own period. `{ timeout: 2000, tries: 2 }` measured anywhere from 2 to 8 s.
 *
 * Names go out as they are (`ares_query`): no search domains, so `redis` is asked as `redis`. Single-label names
 * are refused as targets anyway unless private targets are allowed.
 */
export function queryAddresses(name: string, settings: QuerySettings): Promise<AddressAnswer> {
  return new Promise((resolve, reject) => {
    const outcomes: [FamilyOutcome | undefined, FamilyOutcome | undefined] = [undefined, undefined];
    const timeouts: [number, number] = [0, 0];
    const channels: Resolver[] = [];
    let finished = false;
    let nextTry: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      outcomes[0] ??= { kind: 'timeout' };
      outcomes[1] ??= { kind: 'timeout' };
      finish();
    }, settings.timeoutMs * settings.tries);

    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(nextTry);
      clearTimeout(deadline);
      for (const channel of channels) channel.cancel();
      try {
        resolve(combine(name, outcomes[0] ?? { kind: 'timeout' }, outcomes[1] ?? { kind: 'timeout' }, settings));
      } catch (error) {
        reject(error as Error);
      }
    };

    const settleFamily = (family: 0 | 1, outcome: FamilyOutcome) => {
      if (outcomes[family] !== undefined) return;
      outcomes[family] = outcome;
      if (outcomes[0] !== undefined && outcomes[1] !== undefined) finish();
    };

    const ask = (channel: Resolver, family: 0 | 1) => {
      const query = family === 0 ? channel.resolve4(name, { ttl: true }) : channel.resolve6(name, { ttl: true });
      query.then(
        (records) =>
          settleFamily(
            family,
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
          if (finished || code === 'ECANCELLED') return;
          if (code === 'ETIMEOUT') {
            // This try is over without an answer; the family is only done when every try is.
            timeouts[family] += 1;
            if (timeouts[family] === settings.tries) settleFamily(family, { kind: 'timeout' });
          } else if (code === 'ENOTFOUND' || code === 'ENODATA') {
            settleFamily(family, { kind: 'none', code });
          } else {
            settleFamily(family, { kind: 'error', code, what: WHAT_FAILED[code] ?? error.message });
          }
        },
      );
    };

    const sendTry = () => {
      if (finished || channels.length === settings.tries) return;
      const channel = openChannel(settings, channels.length);
      channels.push(channel);
      nextTry = setTimeout(sendTry, settings.timeoutMs);
      if (outcomes[0] === undefined) ask(channel, 0);
      if (outcomes[1] === undefined) ask(channel, 1);
    };
    sendTry();
  });
}

/** Throws unless c-ares takes every entry as a server address (`Invalid IP address ...`). */
export function assertDnsServers(servers: readonly string[]): void {
  new Resolver().setServers([...servers]);
}

/** A channel for one try: one query per server, the server list rotated by `tryIndex` so a dead first server is not always asked first. */
function openChannel(settings: QuerySettings, tryIndex: number): Resolver {
  const channel = new Resolver({ timeout: settings.timeoutMs, tries: 1 });
  const servers = settings.servers ?? channel.getServers();
  if (settings.servers !== undefined || (tryIndex > 0 && servers.length > 1)) {
    const shift = tryIndex % Math.max(servers.length, 1);
    channel.setServers([...servers.slice(shift), ...servers.slice(0, shift)]);
  }
  return channel;
}

function combine(name: string, ipv4: FamilyOutcome, ipv6: FamilyOutcome, settings: QuerySettings): AddressAnswer {
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
  const tries = `${settings.tries} ${settings.tries === 1 ? 'try' : 'tries'}`;
  throw new HostResolutionError(
    'ETIMEOUT',
    name,
    `ETIMEOUT: no DNS answer for ${name} (${tries} of ${settings.timeoutMs} ms)`,
  );
}
