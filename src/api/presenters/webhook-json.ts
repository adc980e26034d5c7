import type { Webhook } from '../../store/webhook';

/**
 * Lettermint's newer webhook fields, with the values of a route-scoped webhook (the only scope Tidehook has):
 * `route_ids` and `project_ids` of one element each.
 */
function scopeFields(webhook: Webhook, projectId: string) {
  return { scope: 'route' as const, route_ids: [webhook.routeId], project_ids: [projectId] };
}

/** Whether Basic Auth is set, never what it is; the delivery-mode filter as stored (null until set). */
function targetFields(webhook: Webhook) {
  return { has_basic_auth: webhook.hasBasicAuth, delivery_mode_filter: webhook.deliveryModeFilter };
}

/** How a webhook appears in lists: Lettermint leaves out the secret and `include_machine_events` there. */
export function webhookListItemJson(webhook: Webhook, projectId: string) {
  return {
    id: webhook.id,
    route_id: webhook.routeId,
    ...scopeFields(webhook, projectId),
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    enabled: webhook.enabled,
    ...targetFields(webhook),
    last_called_at: webhook.lastCalledAt?.toISOString() ?? null,
    created_at: webhook.createdAt.toISOString(),
    updated_at: webhook.updatedAt.toISOString(),
  };
}

/** The full webhook object; `secret` only in the answers of create and regenerate-secret. */
export function webhookJson(webhook: Webhook, projectId: string, secret?: string) {
  return {
    id: webhook.id,
    route_id: webhook.routeId,
    ...scopeFields(webhook, projectId),
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    enabled: webhook.enabled,
    ...targetFields(webhook),
    include_machine_events: webhook.includeMachineEvents,
    signature_scheme: webhook.signatureScheme,
    ...(secret !== undefined && { secret }),
    last_called_at: webhook.lastCalledAt?.toISOString() ?? null,
    created_at: webhook.createdAt.toISOString(),
    updated_at: webhook.updatedAt.toISOString(),
  };
}
