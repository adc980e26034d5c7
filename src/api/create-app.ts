import express, { type Express } from 'express';
import { dashboardRouter } from '../dashboard/dashboard-router';
import { dashboardSessionPrincipal } from '../dashboard/dashboard-session-principal';
import { NotFoundError } from '../errors/not-found-error';
import { UnauthorizedError } from '../errors/unauthorized-error';
import { carriesMetricsToken } from '../metrics/metrics-token';
import type { AppDependencies } from './app-dependencies';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { authenticate } from './authenticate';
import { portalScopeGuard } from './portal-scope-guard';
import { errorMiddleware } from './error-middleware';
import { requireValidHost } from './host-header';
import { rateLimitPerToken } from './rate-limit-per-token';
import { deliveriesRouter } from './routers/deliveries-router';
import { docsRouter } from './routers/docs-router';
import { eventsRouter } from './routers/events-router';
import { portalSessionsRouter } from './routers/portal-sessions-router';
import { projectsRouter } from './routers/projects-router';
import { replayJobsRouter } from './routers/replay-jobs-router';
import { routesRouter } from './routers/routes-router';
import { tokensRouter } from './routers/tokens-router';
import { webhookDeliveriesRouter } from './routers/webhook-deliveries-router';
import { webhooksRouter } from './routers/webhooks-router';

export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.set('query parser', 'extended');
  app.use(requireValidHost());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const authFailures = new AuthFailureLimiter(deps.authFailuresPerMinute ?? 0);
  // Strangers who reach the API reach no metrics (audit 2): served here only to a scrape with METRICS_TOKEN, else
  // on the METRICS_PORT listener. A scrape reads values kept in memory: no database work, however many come.
  app.get('/metrics', async (req, res) => {
    if (!deps.metricsToken) throw new NotFoundError();
    authFailures.check(req);
    if (!carriesMetricsToken(req.get('authorization'), deps.metricsToken)) {
      authFailures.fail(req);
      throw new UnauthorizedError('Metrics need the METRICS_TOKEN.');
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  // The API reference is public: it describes the API, it opens nothing.
  app.use(docsRouter());
  app.use(dashboardRouter({ ...deps, authFailures }));

  const v1 = express.Router();
  // Authentication first: an anonymous request is answered 401 without its body being read (audit 12).
  v1.use(
    authenticate(
      deps.stores.teams,
      dashboardSessionPrincipal(deps.stores.dashboardSessions, deps.stores.portalSessions),
      authFailures,
    ),
  );
  v1.use(express.json({ limit: MAX_BODY_BYTES, type: () => true }));
  v1.use(rateLimitPerToken(deps.rateLimitPerMinute));
  v1.use(portalScopeGuard(deps.stores));
  v1.use(eventsRouter(deps));
  v1.use(deliveriesRouter(deps));
  v1.use(replayJobsRouter(deps));
  v1.use(projectsRouter(deps));
  v1.use(routesRouter(deps));
  v1.use(webhooksRouter(deps));
  v1.use(webhookDeliveriesRouter(deps));
  v1.use(tokensRouter(deps));
  v1.use(portalSessionsRouter(deps));
  app.use('/v1', v1);

  app.use(() => {
    throw new NotFoundError();
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
