import type { AttemptRecord } from '../../store/attempt-record';

/** An attempt record in Lettermint's shape (where it is called a "delivery"), plus our `delivery_id`, `event_id`. */
export function attemptSummaryJson(attempt: AttemptRecord) {
  return {
    id: attempt.id,
    webhook_id: attempt.webhookId,
    delivery_id: attempt.deliveryId,
    event_id: attempt.envelopeId,
    event_type: attempt.eventType,
    status: attempt.status,
    attempt_number: attempt.attemptNumber,
    http_status_code: attempt.httpStatusCode,
    duration_ms: attempt.durationMs,
    delivered_at: attempt.finishedAt?.toISOString() ?? null,
    created_at: attempt.createdAt.toISOString(),
    next_retry_at: attempt.nextRetryAt?.toISOString() ?? null,
  };
}

/** The single record adds what was sent and what came back. `payload` is the envelope as the receiver got it. */
export function attemptDetailJson(attempt: AttemptRecord, payloadBody: string) {
  return {
    ...attemptSummaryJson(attempt),
    payload: JSON.parse(payloadBody) as unknown,
    request_headers: attempt.requestHeaders,
    response_body: attempt.responseBody,
    response_headers: attempt.responseHeaders,
    error_message: attempt.errorMessage,
    timestamp: attempt.startedAt?.toISOString() ?? null,
    started_at: attempt.startedAt?.toISOString() ?? null,
    finished_at: attempt.finishedAt?.toISOString() ?? null,
  };
}
