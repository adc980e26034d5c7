import type { DeliveryStatus } from '../../workflows/delivery-status';
import type { Delivery } from './delivery';

/** The `deliveries` table as Postgres returns it; shared by the delivery stores and nothing outside src/store. */
export interface DeliveryRow {
  id: string;
  team_id: string;
  event_id: string;
  webhook_id: string;
  route_id: string;
  workflow_id: string;
  status: DeliveryStatus;
  status_reason: string | null;
  attempts_count: number;
  last_attempt_status: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  replay_of: string | null;
  workflow_started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    teamId: row.team_id,
    eventId: row.event_id,
    webhookId: row.webhook_id,
    routeId: row.route_id,
    workflowId: row.workflow_id,
    status: row.status,
    statusReason: row.status_reason,
    attemptsCount: row.attempts_count,
    lastAttemptStatus: row.last_attempt_status,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.next_attempt_at,
    replayOf: row.replay_of,
    workflowStartedAt: row.workflow_started_at,
    finishedAt: row.finished_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
