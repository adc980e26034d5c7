import { BlockList, isIP } from 'node:net';

/** Which targets the operator allows besides public `https://` URLs (local development and tests). */
export interface TargetPolicy {
  /** Plain `http://` URLs. @default false */
  allowHttp: boolean;
  /** `localhost`, loopback and private addresses. @default false */
  allowPrivate: boolean;
}

export const MAX_WEBHOOK_URL_LENGTH = 500;

/**
 * The single rule for a webhook URL, used on create and update: answers the 422 message, or undefined when the
 * URL is acceptable. It looks at the URL text only; resolving names and checking where they point (SSRF) is a
 * later step that belongs here too, so that every caller gets it.
 */
export function validateWebhookUrl(url: string, targets: TargetPolicy): string | undefined {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return `The url field must not be greater than ${MAX_WEBHOOK_URL_LENGTH} characters.`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The url field must be a valid URL.';
  }
  if (parsed.protocol !== 'https:' && !(targets.allowHttp && parsed.protocol === 'http:')) {
    return targets.allowHttp ? 'The url field must start with https:// or http://.' : 'The url field must start with https://.';
  }
  if (parsed.username || parsed.password) return 'The url field must not contain credentials.';
  if (!targets.allowPrivate && isPrivateHost(parsed.hostname)) {
    return 'The url field must point to a public host, not localhost or a private address.';
  }
  return undefined;
}

/**
 * Loopback, private, link-local (cloud metadata) and unspecified ranges; a minimal list, not a full SSRF guard.
 * BlockList matches IPv4-mapped IPv6 (`[::ffff:127.0.0.1]`) against the IPv4 rules by itself.
 */
const PRIVATE_RANGES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv6');
}

function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) return PRIVATE_RANGES.check(host, 'ipv4');
  if (family === 6) return PRIVATE_RANGES.check(host, 'ipv6');
  return false;
}
