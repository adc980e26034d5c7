import { lookup } from 'node:dns/promises';

/** Every address a host name resolves to. Injectable so tests never touch real DNS. */
export type HostResolver = (host: string) => Promise<string[]>;

/**
 * The system resolver (`getaddrinfo`, so `/etc/hosts` counts), which is what `net.connect` would have used: the
 * addresses we judge are the ones a connection would really go to. Order is the resolver's own.
 */
export const resolveHost: HostResolver = async (host) => {
  const addresses = await lookup(host, { all: true, verbatim: true });
  return addresses.map((entry) => entry.address);
};
