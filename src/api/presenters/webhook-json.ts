import type { Webhook } from '../../store/webhook';

/** How a webhook appears in lists: Lettermint leaves out the secret and `include_machine_events` there. */
export function webhookListItemJson(webhook: Webhook) {
  return {
    id: webhook.id,
    route_id: webhook.routeId,
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    enabled: webhook.enabled,
    last_called_at: webhook.lastCalledAt?.toISOString() ?? null,
    created_at: webhook.createdAt.toISOString(),
    updated_at: webhook.updatedAt.toISOString(),
  };
}

/** The full webhook object; `secret` only in the answers of create and regenerate-secret. */
export function webhookJson(webhook: Webhook, secret?: string) {
  return {
    id: webhook.id,
    route_id: webhook.routeId,
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    enabled: webhook.enabled,
    include_machine_events: webhook.includeMachineEvents,
    signature_scheme: webhook.signatureScheme,
    ...(secret !== undefined && { secret }),
    last_called_at: webhook.lastCalledAt?.toISOString() ?? null,
    created_at: webhook.createdAt.toISOString(),
    updated_at: webhook.updatedAt.toISOString(),
  };
}
