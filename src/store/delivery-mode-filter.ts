/** Lettermint's per-webhook choice of live events, sandbox events or both. */
export const DELIVERY_MODE_FILTERS = ['live', 'sandbox', 'both'] as const;

export type DeliveryModeFilter = (typeof DELIVERY_MODE_FILTERS)[number];

/**
 * Tidehook has no sandbox projects, so every event is a live event: `live`, `both` and null (never set) receive
 * every event they subscribe to, and `sandbox` receives none. Applied where an event fans out to webhooks, as
 * `events` is; a test, a manual retry or a replay names its webhook and is sent whatever the filter says.
 */
export const MODE_FILTER_RECEIVING_NO_EVENT: DeliveryModeFilter = 'sandbox';
