/**
 * The shapes of the `/v1` answers the screens read (see src/api/schemas). Only the fields the screens use are
 * named; the API may add more, and nothing here rejects them.
 */

export interface CursorPage<T> {
  data: T[];
  per_page: number;
  next_cursor: string | null;
  prev_cursor: string | null;
}

export interface Project {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface Route {
  id: string;
  project_id: string;
  slug: string;
  name: string;
  route_type: string;
  is_default: boolean;
  webhooks_count: number;
  created_at: string;
  updated_at: string;
}

export interface Webhook {
  id: string;
  route_id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  /** Not in list items. */
  include_machine_events?: boolean;
  last_called_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookWithSecret extends Webhook {
  secret: string;
}

export type AttemptStatus = 'pending' | 'success' | 'failed' | 'client_error' | 'server_error' | 'timeout';

/** Lettermint calls this record a "delivery"; it is one attempt of one of our deliveries. */
export interface AttemptSummary {
  id: string;
  webhook_id: string;
  delivery_id: string;
  event_id: string;
  event_type: string;
  status: AttemptStatus;
  attempt_number: number;
  http_status_code: number | null;
  duration_ms: number | null;
  delivered_at: string | null;
  created_at: string;
  /** Coming: when the next automatic attempt is due (latest attempt of a pending delivery only). */
  next_retry_at?: string | null;
}

export interface AttemptDetail extends AttemptSummary {
  payload: unknown;
  request_headers: Record<string, string> | null;
  response_body: string | null;
  response_headers: Record<string, string> | null;
  error_message: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export type DeliveryStatus = 'pending' | 'success' | 'failed' | 'cancelled';

export interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  webhook_id: string;
  route_id: string;
  status: DeliveryStatus;
  status_reason: string | null;
  attempts_count: number;
  max_attempts: number;
  next_attempt_at: string | null;
  replay_of: string | null;
  workflow_id: string;
  temporal_ui_url: string | null;
  created_at: string;
  finished_at: string | null;
  attempts: AttemptSummary[];
}

export interface ReplayJob {
  id: string;
  webhook_id: string;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  total: number;
  processed: number;
  replayed: number;
  skipped: number;
  temporal_ui_url: string | null;
}

/** `GET /dashboard/api/session`: who the page is signed in as. */
export type DashboardSession =
  | { kind: 'operator'; scopes: string[]; csrf_token: string }
  /** A platform's customer through a portal link: one project, or one route of it (the API refuses the rest). */
  | { kind: 'portal'; scopes: string[]; csrf_token: string; project_id: string; route_id: string | null };

/** `{data, message}`: what the API's writes answer. */
export interface Written<T> {
  data: T;
  message: string;
}
