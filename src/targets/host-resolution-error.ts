/**
 * A host name that did not resolve. `code` is the DNS error code as Node names them (`ENOTFOUND`, `ETIMEOUT`,
 * `ESERVFAIL`, `EREFUSED`, `ECONNREFUSED`, ...) and the message is one line that starts with it and names the host,
 * because the poster records it as the attempt's error message.
 */
export class HostResolutionError extends Error {
  override name = 'HostResolutionError';

  constructor(
    readonly code: string,
    readonly hostname: string,
    message: string,
  ) {
    super(message);
  }
}
