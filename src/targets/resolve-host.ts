import { createHostResolver } from './create-host-resolver';
import type { HostResolver } from './host-resolver';

export type { HostResolver, ResolveContext } from './host-resolver';

let processResolver: HostResolver | undefined;

/**
 * The process's shared resolver with the default settings (`/etc/hosts`, then the system's DNS servers over
 * c-ares, never getaddrinfo; see createHostResolver), for callers that were handed none. Built on first use, so
 * importing this has no side effects. Entry points build theirs from the configuration and pass it down.
 */
export const resolveHost: HostResolver = (host, context) => {
  processResolver ??= createHostResolver();
  return processResolver(host, context);
};
