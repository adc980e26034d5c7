import type { DeliveryModeFilter } from './delivery-mode-filter';
import type { SignatureScheme } from '../signature/signature-scheme';
import type { Webhook } from './webhook';

/** The `webhooks` table as Postgres returns it; shared by the two webhook stores and nothing outside src/store. */
export interface WebhookRow {
  id: string;
  team_id: string;
  route_id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  include_machine_events: boolean;
  signature_scheme: SignatureScheme;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  /** Encrypted `{"username","password"}`; null: no Basic Auth. */
  basic_auth: string | null;
  delivery_mode_filter: DeliveryModeFilter | null;
  last_called_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    teamId: row.team_id,
    routeId: row.route_id,
    name: row.name,
    url: row.url,
    events: row.events,
    enabled: row.enabled,
    includeMachineEvents: row.include_machine_events,
    signatureScheme: row.signature_scheme,
    hasBasicAuth: row.basic_auth !== null,
    deliveryModeFilter: row.delivery_mode_filter,
    lastCalledAt: row.last_called_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
