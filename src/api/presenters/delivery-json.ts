import type { AttemptRecord } from '../../store/attempt-record';
import type { Delivery } from '../../store/delivery';
import type { StoredEvent } from '../../store/event-store';
import { attemptSummaryJson } from './attempt-json';
import { temporalWorkflowUrl, type TemporalLinks } from './temporal-links';

/** The short form, as trigger answers list them. */
export function deliveryRefJson(delivery: Delivery) {
  return { id: delivery.id, webhook_id: delivery.webhookId, workflow_id: delivery.workflowId, status: delivery.status };
}

/** Our native delivery view (README "Operating deliveries"): one event to one webhook, with every attempt so far. */
export function deliveryJson(
  delivery: Delivery,
  event: StoredEvent,
  attempts: AttemptRecord[],
  maxAttempts: number,
  links: TemporalLinks,
  temporalReachable: boolean | null = null,
) {
  return {
    id: delivery.id,
    event_id: event.envelopeId,
    event_type: event.eventType,
    webhook_id: delivery.webhookId,
    route_id: delivery.routeId,
    status: delivery.status,
    status_reason: delivery.statusReason,
    attempts_count: delivery.attemptsCount,
    max_attempts: maxAttempts,
    last_attempt_status: delivery.lastAttemptStatus,
    last_attempt_at: delivery.lastAttemptAt?.toISOString() ?? null,
    next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
    replay_of: delivery.replayOf,
    workflow_id: delivery.workflowId,
    temporal_ui_url: temporalWorkflowUrl(links, delivery.workflowId),
    temporal_reachable: temporalReachable,
    created_at: delivery.createdAt.toISOString(),
    finished_at: delivery.finishedAt?.toISOString() ?? null,
    attempts: attempts.map(attemptSummaryJson),
  };
}
