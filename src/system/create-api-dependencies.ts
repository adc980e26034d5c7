import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import type { AppDependencies } from '../api/create-app';
import type { Database } from '../db/create-database';
import { DeliveryCanceller } from '../deliveries/delivery-canceller';
import { DeliveryStarter } from '../deliveries/delivery-starter';
import { EventTrigger } from '../events/event-trigger';
import { TeamStore } from '../tenancy/team-store';

export interface ApiDependencyOptions {
  db: Database;
  client: Client;
  logger: Logger;
  namespace: string;
  taskQueue: string;
  temporalUiUrl: string | undefined;
  targets: { allowHttp: boolean; allowPrivate: boolean };
}

/** Wires the API's services once; shared by the all-in-one entry point, the API entry point and the tests. */
export function createApiDependencies(options: ApiDependencyOptions): AppDependencies {
  const starter = new DeliveryStarter(options.client, options.taskQueue, options.db, options.logger);
  return {
    db: options.db,
    logger: options.logger,
    teams: new TeamStore(options.db),
    starter,
    canceller: new DeliveryCanceller(options.client, options.db, options.logger),
    trigger: new EventTrigger(options.db, starter),
    links: { namespace: options.namespace, uiUrl: options.temporalUiUrl },
    maxAttempts: DELIVERY_SCHEDULE.length,
    targets: options.targets,
  };
}
