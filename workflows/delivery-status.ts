// Shared by the workflow (Temporal's deterministic sandbox), the store and the API: keep it free of imports.

/** Where a delivery stands: under way (waiting for or in an attempt), or ended one of three ways. */
export const DELIVERY_STATUSES = ['pending', 'success', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type FinalDeliveryStatus = Exclude<DeliveryStatus, 'pending'>;
