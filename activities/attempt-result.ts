// Shared with workflow code, which runs in Temporal's deterministic sandbox: keep this file free of imports.

/**
 * How one HTTP attempt ended (SPEC §3). `failed` covers everything that is neither an HTTP 2xx/4xx/5xx answer
 * nor the deadline: DNS, refused connections, TLS, redirects (never followed), blocked addresses.
 */
export type AttemptStatus = 'success' | 'client_error' | 'server_error' | 'timeout' | 'failed';

/** Everything recorded about one attempt. The outcome of a POST is always data, never an exception. */
export interface AttemptResult {
  status: AttemptStatus;
  /** `null` when no response head arrived (network failure, timeout before headers). */
  httpStatusCode: number | null;
  /** Integer milliseconds from just before connecting to the end of the exchange. */
  durationMs: number;
  /** The headers the request was sent with. */
  requestHeaders: Record<string, string>;
  /** Lowercase names; repeated headers joined with `', '`. Empty when no response head arrived. */
  responseHeaders: Record<string, string>;
  /** The first 64 KiB of the body, decoded as UTF-8; `null` when no response head arrived. */
  responseBody: string | null;
  /** Why the attempt did not succeed, for people reading the delivery log; `null` on plain HTTP answers. */
  errorMessage: string | null;
  /** ISO-8601 wall clock. */
  startedAt: string;
  /** ISO-8601 wall clock. */
  finishedAt: string;
}

/** Maps an HTTP status code to the attempt status; 1xx and 3xx (redirects are not followed) count as `failed`. */
export function classifyHttpStatus(code: number): AttemptStatus {
  if (code >= 200 && code <= 299) return 'success';
  if (code >= 400 && code <= 499) return 'client_error';
  if (code >= 500 && code <= 599) return 'server_error';
  return 'failed';
}
