// Shared by the workflow (Temporal's deterministic sandbox), the activities and the store: keep it free of imports.

/**
 * How one HTTP attempt ended. `failed` covers everything that is neither an HTTP 2xx/4xx/5xx answer nor the
 * deadline: DNS, refused connections, TLS, redirects (never followed), blocked addresses.
 */
export const ATTEMPT_STATUSES = ['success', 'client_error', 'server_error', 'timeout', 'failed'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/**
 * What the workflow learns of an attempt, and so what its history (readable by every Web UI user) holds: the
 * outcome an operator needs, and nothing a customer sent or received.
 */
export interface AttemptSummary {
  status: AttemptStatus;
  /** `null` when no response head arrived (network failure, timeout before headers). */
  httpStatusCode: number | null;
  /** Integer milliseconds from just before connecting to the end of the exchange. */
  durationMs: number;
  /** Why the attempt did not succeed, for people reading the delivery log; `null` on plain HTTP answers. */
  errorMessage: string | null;
  /** ISO-8601 wall clock. */
  startedAt: string;
  /** ISO-8601 wall clock. */
  finishedAt: string;
}

/** Everything recorded about one attempt (in Postgres). The outcome of a POST is always data, never an exception. */
export interface AttemptResult extends AttemptSummary {
  /** The headers the request was sent with. */
  requestHeaders: Record<string, string>;
  /** Lowercase names; repeated headers joined with `', '`. Empty when no response head arrived. */
  responseHeaders: Record<string, string>;
  /** The first 64 KiB of the body, decoded as UTF-8; `null` when no response head arrived. */
  responseBody: string | null;
}

/** The summary of a full result: what may travel through workflow history. */
export function summarize(result: AttemptSummary): AttemptSummary {
  return {
    status: result.status,
    httpStatusCode: result.httpStatusCode,
    durationMs: result.durationMs,
    errorMessage: result.errorMessage,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
  };
}
