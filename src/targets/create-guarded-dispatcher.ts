import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { blockedAddressReason } from './blocked-address';
import { blockedHostReason } from './blocked-host';
import { blockedPortReason, effectivePort } from './blocked-port';
import { currentResolutionTeam } from './resolution-team';
import { resolveHost, type HostResolver } from './resolve-host';
import type { TargetPolicy } from './target-policy';

/** `code` of the connect error when the target host or one of its addresses is blocked. */
export const BLOCKED_TARGET_CODE = 'ERR_BLOCKED_TARGET';
/** `code` of the connect error when a plain `http://` target is refused. */
export const HTTP_TARGET_CODE = 'ERR_HTTP_TARGET';
/** `code` of the connect error when the target's port is not allowed. */
export const BLOCKED_PORT_CODE = 'ERR_BLOCKED_PORT';

/** Tuning for {@link createGuardedDispatcher}. */
export interface GuardedDispatcherOptions {
  /** Sockets per origin, so one slow receiver cannot hog unbounded sockets. @default 32 */
  connections?: number;
  /** Idle time before a pooled socket is dropped; below the common 5 s receiver idle timeout. @default 4_000 */
  keepAliveTimeout?: number;
  /**
   * Budget for resolving and connecting (TCP and TLS). Past the poster's 30 s attempt deadline, so a slow connect
   * is reported as that single deadline rather than as a phase.
   * @default 35_000
   */
  connectTimeout?: number;
  /**
   * Resolves host names, with the team of the attempt (see `withResolutionTeam`) as context; tests inject one.
   * @default resolveHost (the process's shared resolver: /etc/hosts, then DNS over c-ares)
   */
  resolve?: HostResolver;
}

/**
 * An undici dispatcher for webhook attempts that will not connect to internal targets (SSRF).
 *
 * Every new connection is judged at the last moment: the URL's host (IP literals in any spelling, local-only
 * names), then every address the name resolves to. The socket is handed exactly the addresses that were judged,
 * through the `lookup` hook of `net.connect`, so nothing resolves the name a second time: DNS rebinding between
 * check and connect has no second answer to slip in. The name itself still goes to TLS (SNI and certificate
 * verification, which stay on) and to the `Host` header. Refusals fail the connection with an error whose `code`
 * is {@link BLOCKED_TARGET_CODE}, {@link HTTP_TARGET_CODE} or {@link BLOCKED_PORT_CODE}, which the poster records as
 * a `failed` attempt.
 */
export function createGuardedDispatcher(policy: TargetPolicy, options: GuardedDispatcherOptions = {}): Dispatcher {
  const connectJudged = buildConnector({
    timeout: options.connectTimeout ?? 35_000,
    lookup: judgedLookup(policy, options.resolve ?? resolveHost),
  });
  const connect: buildConnector.connector = (target, callback) => {
    const refusal = refuseBeforeResolving(target, policy);
    if (refusal !== undefined) {
      // undici expects the callback after connect returns, as a real socket error would arrive.
      process.nextTick(() => callback(refusal, null));
      return;
    }
    connectJudged(target, callback);
  };
  return new Agent({
    connections: options.connections ?? 32,
    keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
    keepAliveMaxTimeout: 60_000,
    connect,
  });
}

/**
 * The scheme, the host as written and the port; `net.connect` skips `lookup` for IP literals, so they are judged
 * here. The port is judged again (create and update did) because a stored URL may predate the port policy.
 */
function refuseBeforeResolving(target: buildConnector.Options, policy: TargetPolicy): Error | undefined {
  if (target.protocol === 'http:' && !policy.allowHttp) {
    return targetError(
      HTTP_TARGET_CODE,
      `refused to connect to http://${target.host ?? target.hostname}: plain http:// targets are not allowed`,
    );
  }
  const reason = blockedHostReason(target.hostname, policy);
  if (reason !== undefined) return targetError(BLOCKED_TARGET_CODE, `refused to connect to ${reason}`);
  const portReason = blockedPortReason(effectivePort(target.protocol, target.port), policy);
  return portReason === undefined
    ? undefined
    : targetError(BLOCKED_PORT_CODE, `refused to connect to ${target.hostname}: ${portReason}`);
}

/** A `net.connect` lookup that resolves once, refuses if any address is blocked, and returns what it judged. */
function judgedLookup(policy: TargetPolicy, resolve: HostResolver): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    // Read now: by the time the promise chain runs, the hook's caller is long gone.
    const teamId = currentResolutionTeam();
    const judge = async () => {
      const resolved = await resolve(hostname, teamId === undefined ? undefined : { teamId });
      // A name with one blocked address is refused outright rather than filtered: public DNS for a real
      // receiver never mixes in private addresses, so the mix is a probe, and filtering would hide it.
      for (const address of resolved) {
        const reason = blockedAddressReason(address, policy);
        if (reason !== undefined) {
          throw targetError(BLOCKED_TARGET_CODE, `refused to connect to ${hostname}: it resolves to ${reason}`);
        }
      }
      const family = lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family;
      const usable = resolved
        .map((address) => ({ address, family: isIP(address) }))
        .filter((entry) => entry.family !== 0 && (!family || entry.family === family));
      if (usable.length === 0) {
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
      }
      return usable;
    };
    judge().then(
      (usable) => {
        const first = usable[0]!;
        if (lookupOptions.all === true) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

function targetError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
