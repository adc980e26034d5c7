import type { DeliveryStatus } from '../../workflows/delivery-status';

/** One event to one webhook: exactly one Temporal workflow execution. */
export interface Delivery {
  id: string;
  teamId: string;
  eventId: string;
  webhookId: string;
  routeId: string;
  workflowId: string;
  status: DeliveryStatus;
  statusReason: string | null;
  attemptsCount: number;
  lastAttemptStatus: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  replayOf: string | null;
  workflowStartedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewDelivery = Pick<Delivery, 'id' | 'teamId' | 'eventId' | 'webhookId' | 'routeId' | 'workflowId'> & {
  replayOf?: string | null;
  replayJobId?: string | null;
};
