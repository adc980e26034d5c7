import express, { type Express } from 'express';
import { dashboardRouter } from '../dashboard/dashboard-router';
import { dashboardSessionPrincipal } from '../dashboard/dashboard-session-principal';
import { NotFoundError } from '../errors/not-found-error';
import type { AppDependencies } from './app-dependencies';
import { authenticate } from './authenticate';
import { errorMiddleware } from './error-middleware';
import { rateLimitPerToken } from './rate-limit-per-token';
import { deliveriesRouter } from './routers/deliveries-router';
import { docsRouter } from './routers/docs-router';
import { eventsRouter } from './routers/events-router';
import { projectsRouter } from './routers/projects-router';
import { replayJobsRouter } from './routers/replay-jobs-router';
import { routesRouter } from './routers/routes-router';
import { webhookDeliveriesRouter } from './routers/webhook-deliveries-router';
import { webhooksRouter } from './routers/webhooks-router';

export const MAX_BODY_BYTES = 1024 * 1024;

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
  v1.use(authenticate(deps.stores.teams, dashboardSessionPrincipal(deps.stores.dashboardSessions)));
  v1.use(rateLimitPerToken(deps.rateLimitPerMinute));
  v1.use(eventsRouter(deps));
  v1.use(deliveriesRouter(deps));
  v1.use(replayJobsRouter(deps));
  v1.use(projectsRouter(deps));
  v1.use(routesRouter(deps));
  v1.use(webhooksRouter(deps));
  v1.use(webhookDeliveriesRouter(deps));
  app.use('/v1', v1);

  app.use(() => {
    throw new NotFoundError();
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
