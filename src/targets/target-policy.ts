import { blockedAddressReason } from './blocked-address';
import { blockedNameReason } from './blocked-name';
import { blockedPortReason, effectivePort } from './blocked-port';
import { normalizeHost } from './parse-target-host';
import type { PortRange } from './port-range';
import { resolveHost, type HostResolver, type ResolveContext } from './resolve-host';

/**
 * Which webhook targets a deployment accepts. Production keeps both `false`; the relaxations exist for local
 * development and for self-hosted installs whose receivers live on a private network.
 */
export interface TargetPolicy {
  /** Accept plain `http://` URLs (payloads and signatures then travel unencrypted). @default false */
  allowHttp: boolean;
  /**
   * Accept loopback, private and other non-public addresses and local-only names. Cloud metadata endpoints stay
   * refused regardless (see `AddressAllowance`).
   * @default false
   */
  allowPrivate: boolean;
  /**
   * The destination ports accepted (`ALLOWED_TARGET_PORTS`), replacing the default rule; see `blockedPortReason`.
   * @default undefined: 443, 80 when `allowHttp`, and 1024–65535 except well-known internal services
   */
  allowedPorts?: readonly PortRange[];
}

/** Longest URL accepted; longer ones are almost always a mistake or an attempt to smuggle data through logs. */
export const MAX_WEBHOOK_URL_LENGTH = 500;

/** How long registration waits for DNS before giving up on the name and accepting the URL on its syntax alone. */
export const RESOLVE_TIMEOUT_MS = 3_000;

/**
 * The one rule for a webhook URL's text, used on create and update (in Laravel's words, as Lettermint's 422s
 * have them). The checks that need no network: length, parse, scheme, credentials, the host when it is an IP literal (in
 * any spelling) or a local-only name, and the port. Returns the message for a 422, or `undefined` when the URL may be used.
 */
export function checkWebhookUrlSyntax(url: string, policy: TargetPolicy): string | undefined {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) {
    return `The url field must not be greater than ${MAX_WEBHOOK_URL_LENGTH} characters.`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The url field must be a valid URL.';
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && policy.allowHttp)) {
    return policy.allowHttp
      ? 'The url field must start with https:// or http://.'
      : 'The url field must start with https://.';
  }
  // Credentials in the URL would be stored and shown wherever the URL is (API responses, logs, the delivery list).
  // Receivers that want authentication get our signature header, or custom headers when those exist.
  if (parsed.username !== '' || parsed.password !== '') {
    return 'The url field must not contain credentials.';
  }
  const host = normalizeHost(parsed.hostname);
  const hostReason = host.kind === 'ip' ? blockedAddressReason(host.ip, policy) : blockedNameReason(host.name, policy);
  if (hostReason) return `The url field must point to a public host (refused: ${hostReason}).`;
  // The guarded dispatcher refuses the port again at connect time, so a URL stored before a policy change is caught.
  const portReason = blockedPortReason(effectivePort(parsed.protocol, parsed.port), policy);
  return portReason && `The url field must use an allowed port (refused: ${portReason}).`;
}

/**
 * Everything {@link checkWebhookUrlSyntax} checks, then, for a host name, what it resolves to: the URL is refused
 * if ANY of its addresses is blocked, since a connection may pick any of them.
 *
 * A name that does not resolve (or not within {@link RESOLVE_TIMEOUT_MS}) is accepted: people register endpoints
 * before their DNS exists, and every attempt is checked again at connect time by the guarded dispatcher, which is
 * the check that actually protects us (DNS can change at any time after registration).
 *
 * @param resolve the resolver; tests inject one. @default resolveHost (the process's shared resolver)
 * @param context whose lookup this is (the team registering the webhook), for the resolver's per-team cap
 */
export async function checkWebhookUrl(
  url: string,
  policy: TargetPolicy,
  resolve: HostResolver = resolveHost,
  context?: ResolveContext,
): Promise<string | undefined> {
  const syntaxProblem = checkWebhookUrlSyntax(url, policy);
  if (syntaxProblem !== undefined) return syntaxProblem;

  const host = normalizeHost(new URL(url).hostname);
  if (host.kind === 'ip') return undefined;
  const addresses = await resolveWithin(() => resolve(host.name, context), RESOLVE_TIMEOUT_MS);
  for (const address of addresses) {
    const reason = blockedAddressReason(address, policy);
    if (reason !== undefined) {
      return `The url field must point to a public host (refused: ${host.name} resolves to ${reason}).`;
    }
  }
  return undefined;
}

/** The addresses, or none when resolution fails or takes too long. */
async function resolveWithin(lookup: () => Promise<string[]>, timeoutMs: number): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((done) => {
    timer = setTimeout(() => done([]), timeoutMs);
  });
  try {
    return await Promise.race([lookup().catch(() => []), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
