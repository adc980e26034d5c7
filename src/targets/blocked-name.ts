import type { AddressAllowance } from './blocked-address';

// Names that resolve to the metadata endpoint from inside the cloud. Refused even when private targets are allowed,
// like the addresses themselves (see AddressAllowance).
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.tencentyun.com', 'instance-data.ec2.internal']);

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

// Suffixes that only mean something on a local network: special-use names (RFC 6761, 6762, 8375), the `.internal`
// TLD ICANN reserved for private use, and the ones RFC 6762 appendix G lists as commonly used privately.
const LOCAL_SUFFIXES = ['internal', 'local', 'localdomain', 'home.arpa', 'lan', 'intranet', 'corp', 'home', 'private'];

/**
 * Why a host name must not be a webhook target before it is even resolved, e.g. `loopback name localhost`;
 * `undefined` for a name that can only be judged by the addresses it resolves to.
 *
 * Expects a name as `normalizeHost` returns it: lowercase, without the trailing dot.
 */
export function blockedNameReason(name: string, allowance: AddressAllowance = {}): string | undefined {
  if (METADATA_NAMES.has(name)) return `cloud metadata name ${name}`;
  if (allowance.allowPrivate === true) return undefined;

  if (name === '') return 'empty host name';
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return `loopback name ${name}`;
  const suffix = LOCAL_SUFFIXES.find((candidate) => name === candidate || name.endsWith(`.${candidate}`));
  if (suffix !== undefined) return `local-network name ${name} (.${suffix})`;
  // Resolvers (inet_aton) read such a name as an IPv4 address in a spelling we did not recognise; no real top-level
  // domain is numeric, so refusing costs nothing.
  const lastLabel = name.slice(name.lastIndexOf('.') + 1);
  if (/^(0x[0-9a-f]*|[0-9]+)$/.test(lastLabel)) return `numeric host name ${name}`;
  // A single label only resolves through the local search domains: `redis`, `kubernetes`, `metadata`.
  if (!name.includes('.')) return `single-label name ${name}`;
  return undefined;
}
