import { ATTEMPT_STATUSES } from '../../workflows/attempt-result';

/** An attempt record is `pending` from the moment it is begun until its outcome is known. */
export const ATTEMPT_RECORD_STATUSES = ['pending', ...ATTEMPT_STATUSES] as const;
export type AttemptRecordStatus = (typeof ATTEMPT_RECORD_STATUSES)[number];

/** One signed POST of a delivery (Lettermint's API calls this a "delivery"). */
export interface AttemptRecord {
  id: string;
  teamId: string;
  deliveryId: string;
  webhookId: string;
  eventId: string;
  /** The envelope `id` receivers de-duplicate on. */
  envelopeId: string;
  eventType: string;
  attemptNumber: number;
  status: AttemptRecordStatus;
  httpStatusCode: number | null;
  durationMs: number | null;
  requestHeaders: Record<string, string> | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  errorMessage: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  /**
   * When the next automatic attempt after this one is due: the delivery's `next_attempt_at` while this is its latest
   * attempt, has an outcome and the delivery is pending; `null` otherwise (delivered, failed, cancelled, the last
   * attempt, a later attempt exists, or this one is still in flight). Derived on read, so it can never disagree with
   * the delivery, and a manual retry (whose attempt record is begun at once) moves it to that attempt.
   */
  nextRetryAt: Date | null;
}

/** An attempt row as Postgres answers it, with its event's envelope id and the derived `next_retry_at`. */
export interface AttemptRow {
  id: string;
  team_id: string;
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  envelope_id: string;
  event_type: string;
  attempt_number: number;
  status: AttemptRecordStatus;
  http_status_code: number | null;
  duration_ms: number | null;
  request_headers: Record<string, string> | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  error_message: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  next_retry_at: Date | null;
}

export function toAttempt(row: AttemptRow): AttemptRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    deliveryId: row.delivery_id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    envelopeId: row.envelope_id,
    eventType: row.event_type,
    attemptNumber: row.attempt_number,
    status: row.status,
    httpStatusCode: row.http_status_code,
    durationMs: row.duration_ms,
    requestHeaders: row.request_headers,
    responseHeaders: row.response_headers,
    responseBody: row.response_body,
    errorMessage: row.error_message,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    createdAt: row.created_at,
    nextRetryAt: row.next_retry_at,
  };
}
