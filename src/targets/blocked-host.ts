import { blockedAddressReason, type AddressAllowance } from './blocked-address';
import { blockedNameReason } from './blocked-name';
import { normalizeHost } from './parse-target-host';

/**
 * Why a host (an address in any spelling, or a name) must not be a webhook target, judged without resolving it;
 * `undefined` when only its resolved addresses can tell. For a name that passes, resolve it and judge each address
 * with `blockedAddressReason`.
 */
export function blockedHostReason(host: string, allowance: AddressAllowance = {}): string | undefined {
  const normalized = normalizeHost(host);
  return normalized.kind === 'ip'
    ? blockedAddressReason(normalized.ip, allowance)
    : blockedNameReason(normalized.name, allowance);
}
