import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * What an operator filters deliveries by in the Temporal Web UI. Keyword attributes only, and never a secret or a
 * payload: Temporal stores these in clear in its visibility store.
 */
export const DELIVERY_SEARCH_ATTRIBUTES = {
  webhookId: defineSearchAttributeKey('WebhookId', SearchAttributeType.KEYWORD),
  routeId: defineSearchAttributeKey('RouteId', SearchAttributeType.KEYWORD),
  projectId: defineSearchAttributeKey('ProjectId', SearchAttributeType.KEYWORD),
  eventType: defineSearchAttributeKey('EventType', SearchAttributeType.KEYWORD),
  deliveryStatus: defineSearchAttributeKey('DeliveryStatus', SearchAttributeType.KEYWORD),
} as const;

/** `Name=Type` pairs, as `temporal server start-dev --search-attribute` and `operator search-attribute create` take them. */
export const SEARCH_ATTRIBUTE_DEFINITIONS: Readonly<Record<string, 'Keyword'>> = Object.fromEntries(
  Object.values(DELIVERY_SEARCH_ATTRIBUTES).map((key) => [key.name, 'Keyword' as const]),
);
