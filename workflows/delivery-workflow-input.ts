/** One delivery: one event to one webhook. Everything else is read from Postgres by the activities. */
export interface DeliveryWorkflowInput {
  deliveryId: string;
  webhookId: string;
  routeId: string;
  projectId: string;
  eventType: string;
  /** Waits before each attempt in ms, copied from DELIVERY_SCHEDULE when the delivery started. */
  schedule: readonly number[];
}

/** How a delivery that did not fail ended: delivered, or stopped before its course ran out. */
export type DeliveryOutcome = { status: 'success' | 'cancelled'; attempts: number; reason?: string };

/** The failure type a delivery ends with after its last attempt failed: Temporal then shows it Failed. */
export const DELIVERY_FAILED_ERROR_TYPE = 'DeliveryFailed';
