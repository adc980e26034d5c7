import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../db/create-database';
import type { DeliveryCanceller } from '../deliveries/delivery-canceller';
import type { DeliveryStarter } from '../deliveries/delivery-starter';
import type { EventTrigger } from '../events/event-trigger';
import type { TeamStore } from '../tenancy/team-store';
import { authenticate } from './authenticate';
import { errorMiddleware } from './error-middleware';
import { HttpError } from './http-errors';
import type { TemporalLinks } from './presenters/delivery-json';
import { deliveriesRouter } from './routers/deliveries-router';
import { eventsRouter } from './routers/events-router';

/** Everything the HTTP API needs, built by the entry point (or a test) and handed in. */
export interface AppDependencies {
  db: Database;
  logger: Logger;
  teams: TeamStore;
  trigger: EventTrigger;
  starter: DeliveryStarter;
  canceller: DeliveryCanceller;
  links: TemporalLinks;
  maxAttempts: number;
  targets: { allowHttp: boolean; allowPrivate: boolean };
}

export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'extended');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const v1 = express.Router();
  v1.use(express.json({ limit: MAX_BODY_BYTES, type: () => true }));
  v1.use(authenticate(deps.teams));
  v1.use(eventsRouter(deps.trigger));
  v1.use(deliveriesRouter({ db: deps.db, links: deps.links, maxAttempts: deps.maxAttempts }));
  app.use('/v1', v1);

  app.use(() => {
    throw new HttpError(404, 'Not found.');
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
