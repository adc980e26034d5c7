import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import type { AppDependencies } from '../api/create-app';
import type { DashboardSettings } from '../dashboard/dashboard-settings';
import type { Database } from '../db/create-database';
import { DeliveryCanceller } from '../deliveries/delivery-canceller';
import { DeliveryReconciler } from '../deliveries/delivery-reconciler';
import { DeliveryReplayer } from '../deliveries/delivery-replayer';
import { DeliveryStarter } from '../deliveries/delivery-starter';
import type { Metrics } from '../metrics/create-metrics';
import type { SecretCipher } from '../secrets/secret-cipher';
import { ReplayJobLauncher } from '../replays/replay-job-launcher';
import { EventTrigger } from '../events/event-trigger';
import { WebhookTestSender } from '../events/webhook-test-sender';
import { TeamStore } from '../tenancy/team-store';

export interface ApiDependencyOptions {
  db: Database;
  client: Client;
  logger: Logger;
  namespace: string;
  taskQueue: string;
  temporalUiUrl: string | undefined;
  targets: { allowHttp: boolean; allowPrivate: boolean };
  /** `PUBLIC_BASE_URL`, for the page URLs of list answers. */
  publicBaseUrl?: string;
  metrics: Metrics;
  secretCipher: SecretCipher;
  rateLimitPerMinute?: number;
  dashboard?: DashboardSettings;
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
    reconciler: new DeliveryReconciler(options.client, options.db, options.logger),
    replayer: new DeliveryReplayer(options.db, starter),
    replayJobs: new ReplayJobLauncher(options.db, options.client, options.taskQueue),
    metrics: options.metrics,
    secretCipher: options.secretCipher,
    rateLimitPerMinute: options.rateLimitPerMinute,
    trigger: new EventTrigger(options.db, starter),
    testSender: new WebhookTestSender(options.db, starter),
    links: { namespace: options.namespace, uiUrl: options.temporalUiUrl },
    maxAttempts: DELIVERY_SCHEDULE.length,
    targets: options.targets,
    publicBaseUrl: options.publicBaseUrl,
    dashboard: options.dashboard,
  };
}
