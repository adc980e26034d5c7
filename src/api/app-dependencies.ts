import type { Logger } from 'pino';
import type { TrustProxy } from '../config/trust-proxy';
import type { DashboardSettings } from '../dashboard/dashboard-settings';
import type { DeliveryCanceller } from '../deliveries/delivery-canceller';
import type { DeliveryReconciler } from '../deliveries/delivery-reconciler';
import type { DeliveryReplayer } from '../deliveries/delivery-replayer';
import type { ManualRetrier } from '../deliveries/manual-retrier';
import type { EventTrigger } from '../events/event-trigger';
import type { WebhookTestSender } from '../events/webhook-test-sender';
import type { Metrics } from '../metrics/create-metrics';
import type { ReplayJobLauncher } from '../replays/replay-job-launcher';
import type { Stores } from '../store/create-stores';
import type { HostResolver } from '../targets/resolve-host';
import type { TargetPolicy } from '../targets/target-policy';
import type { TemporalLinks } from './presenters/temporal-links';

/** Everything the HTTP API needs, built by the entry point (or a test) and handed in; routers take slices of it. */
export interface AppDependencies {
  logger: Logger;
  stores: Stores;
  trigger: EventTrigger;
  testSender: WebhookTestSender;
  canceller: DeliveryCanceller;
  reconciler: DeliveryReconciler;
  replayer: DeliveryReplayer;
  /** Lettermint's manual retry of an attempt record (ADR 10). */
  manualRetrier: ManualRetrier;
  replayJobs: ReplayJobLauncher;
  metrics: Metrics;
  links: TemporalLinks;
  /** Attempts a delivery makes at most: the length of the schedule. */
  maxAttempts: number;
  /** Which webhook URLs are accepted besides public `https://` ones; read on every request. */
  targets: TargetPolicy;
  /** Resolves webhook URL hosts at create and update. @default resolveHost, the process's shared resolver */
  resolveHost?: HostResolver;
  /** Base of the page URLs in list answers (`PUBLIC_BASE_URL`); the request's own scheme and host when unset. */
  publicBaseUrl: string | undefined;
  /** Requests per token per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Failed authentications per source address per minute before 429. @default 0: no limit */
  authFailuresPerMinute?: number;
  /** Which proxies' X-Forwarded-* headers to believe. @default false */
  trustProxy?: TrustProxy;
  /** With it, `GET /metrics` on the API's port answers a scrape that carries it. @default none: not served here */
  metricsToken?: string;
  /** Branding, framing and cookie settings of the dashboard (`DASHBOARD_*`). @default DEFAULT_DASHBOARD_SETTINGS */
  dashboard?: DashboardSettings;
}
