import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../db/create-database';
import type { DeliveryCanceller } from '../deliveries/delivery-canceller';
import type { DeliveryReconciler } from '../deliveries/delivery-reconciler';
import type { DeliveryReplayer } from '../deliveries/delivery-replayer';
import type { DeliveryStarter } from '../deliveries/delivery-starter';
import type { Metrics } from '../metrics/create-metrics';
import type { SecretCipher } from '../secrets/secret-cipher';
import type { ReplayJobLauncher } from '../replays/replay-job-launcher';
import type { EventTrigger } from '../events/event-trigger';
import type { WebhookTestSender } from '../events/webhook-test-sender';
import type { TeamStore } from '../tenancy/team-store';
import { dashboardRouter } from '../dashboard/dashboard-router';
import { dashboardSessionPrincipal } from '../dashboard/dashboard-session-principal';
import { DashboardSessionStore } from '../dashboard/dashboard-session-store';
import type { DashboardSettings } from '../dashboard/dashboard-settings';
import { authenticate } from './authenticate';
import { rateLimitPerToken } from './rate-limit-per-token';
import { errorMiddleware } from './error-middleware';
import { HttpError } from './http-errors';
import type { TemporalLinks } from './presenters/delivery-json';
import { deliveriesRouter } from './routers/deliveries-router';
import { replayJobsRouter } from './routers/replay-jobs-router';
import { docsRouter } from './routers/docs-router';
import { eventsRouter } from './routers/events-router';
import { projectsRouter } from './routers/projects-router';
import { routesRouter } from './routers/routes-router';
import { webhookDeliveriesRouter } from './routers/webhook-deliveries-router';
import { webhooksRouter } from './routers/webhooks-router';
import type { TargetPolicy } from './validate-webhook-url';

/** Everything the HTTP API needs, built by the entry point (or a test) and handed in. */
export interface AppDependencies {
  db: Database;
  logger: Logger;
  teams: TeamStore;
  trigger: EventTrigger;
  starter: DeliveryStarter;
  canceller: DeliveryCanceller;
  reconciler: DeliveryReconciler;
  replayer: DeliveryReplayer;
  replayJobs: ReplayJobLauncher;
  metrics: Metrics;
  /** Encrypts webhook secrets at rest. */
  secretCipher: SecretCipher;
  /** Requests per token per minute; 0 turns the limit off. @default 1200 */
  rateLimitPerMinute?: number;
  links: TemporalLinks;
  maxAttempts: number;
  testSender: WebhookTestSender;
  /** Which webhook URLs are accepted besides public `https://` ones; read on every request. */
  targets: TargetPolicy;
  /** Base of the page URLs in list answers (`PUBLIC_BASE_URL`). @default the request's own scheme and host */
  publicBaseUrl?: string;
  /** Branding, framing and cookie settings of the dashboard (`DASHBOARD_*`). @default DEFAULT_DASHBOARD_SETTINGS */
  dashboard?: DashboardSettings;
}

export const MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'extended');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  // The API reference is public: it describes the API, it opens nothing.
  app.use(docsRouter());
  app.use(dashboardRouter(deps));

  const v1 = express.Router();
  v1.use(express.json({ limit: MAX_BODY_BYTES, type: () => true }));
  v1.use(authenticate(deps.teams, dashboardSessionPrincipal(new DashboardSessionStore(deps.db))));
  v1.use(rateLimitPerToken(deps.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE));
  v1.use(eventsRouter(deps.trigger));
  v1.use(deliveriesRouter(deps));
  v1.use(replayJobsRouter(deps));
  v1.use(projectsRouter(deps));
  v1.use(routesRouter(deps));
  v1.use(webhooksRouter(deps));
  v1.use(webhookDeliveriesRouter(deps));
  app.use('/v1', v1);

  app.use(() => {
    throw new HttpError(404, 'Not found.');
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
