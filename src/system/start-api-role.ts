import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import type { AppDependencies } from '../api/app-dependencies';
import { createApp } from '../api/create-app';
import type { Config } from '../config/load-config';
import { DeliveryCanceller } from '../deliveries/delivery-canceller';
import { DeliveryReconciler } from '../deliveries/delivery-reconciler';
import { DeliveryReplayer } from '../deliveries/delivery-replayer';
import { DeliveryStarter } from '../deliveries/delivery-starter';
import { ManualRetrier } from '../deliveries/manual-retrier';
import { OutboxSweeper } from '../deliveries/outbox-sweeper';
import { EventTrigger } from '../events/event-trigger';
import { TeamDeliveryBudget } from '../events/team-delivery-budget';
import { WebhookTestSender } from '../events/webhook-test-sender';
import type { Metrics } from '../metrics/create-metrics';
import { DELIVERY_STATE_REFRESH_MS } from '../metrics/delivery-state-gauges';
import { ReplayJobLauncher } from '../replays/replay-job-launcher';
import { startRetentionTask } from '../retention/start-retention-task';
import type { Stores } from '../store/create-stores';
import { listenError } from '../config/listen-error';
import type { HostResolver } from '../targets/resolve-host';
import { startPeriodicTask, type PeriodicTask } from './periodic-task';

/** The slices of the configuration the API reads. */
export type ApiConfig = Pick<Config, 'http' | 'targets' | 'rateLimitPerMinute' | 'triggers'> &
  Partial<Pick<Config, 'dashboard' | 'authFailuresPerMinute' | 'trustProxy' | 'retentionDays' | 'metricsToken'>> & {
    temporal: Pick<Config['temporal'], 'namespace' | 'taskQueue'>;
  };

export interface ApiRoleOptions {
  config: ApiConfig;
  stores: Stores;
  client: Client;
  logger: Logger;
  metrics: Metrics;
  /** Base of the Web UI links in delivery views; none when unknown. */
  temporalUiUrl: string | undefined;
  /** `client` shares its NativeConnection with this process's worker: starts ask for eager dispatch. @default false */
  eagerStarts?: boolean;
  /** The outbox and reconciliation sweeps; off for tests that drive them by hand. @default true */
  backgroundTasks?: boolean;
  /** The process's resolver for webhook URLs, built once from `config.dns`. @default resolveHost */
  resolveHost?: HostResolver;
}

/** Wires the API's services once: what the routers are handed, and the outbox sweeper beside them. */
export function createApiServices(options: Omit<ApiRoleOptions, 'backgroundTasks'>): {
  deps: AppDependencies;
  sweeper: OutboxSweeper;
  starter: DeliveryStarter;
} {
  const { config, stores, client, logger } = options;
  const starter = new DeliveryStarter({
    client,
    taskQueue: config.temporal.taskQueue,
    stores,
    logger,
    eager: options.eagerStarts ?? false,
  });
  const replayer = new DeliveryReplayer({ stores, starter });
  const deps: AppDependencies = {
    logger,
    stores,
    trigger: new EventTrigger({
      stores,
      starter,
      logger,
      budget: new TeamDeliveryBudget(config.triggers.teamDeliveriesPerMinute, config.triggers.teamDeliveryBurst),
      maxDeliveriesPerRequest: config.triggers.maxDeliveriesPerRequest,
    }),
    testSender: new WebhookTestSender({ stores, starter }),
    canceller: new DeliveryCanceller({ client, stores, logger }),
    reconciler: new DeliveryReconciler({ client, stores, logger }),
    replayer,
    manualRetrier: new ManualRetrier({ client, stores, replayer }),
    replayJobs: new ReplayJobLauncher({ client, taskQueue: config.temporal.taskQueue, stores }),
    metrics: options.metrics,
    links: { namespace: config.temporal.namespace, uiUrl: options.temporalUiUrl },
    maxAttempts: DELIVERY_SCHEDULE.length,
    targets: config.targets,
    resolveHost: options.resolveHost,
    publicBaseUrl: config.http.publicBaseUrl,
    rateLimitPerMinute: config.rateLimitPerMinute,
    authFailuresPerMinute: config.authFailuresPerMinute,
    trustProxy: config.trustProxy,
    metricsToken: config.metricsToken,
    dashboard: config.dashboard,
  };
  return { deps, sweeper: new OutboxSweeper({ stores, starter, logger }), starter };
}

export interface ApiRole {
  url: string;
  deps: AppDependencies;
  stop(): Promise<void>;
}

/**
 * The HTTP API, plus the sweeps every API process runs beside it: the outbox (deliveries committed but never
 * handed to Temporal) and the reconciliation of workflows closed in Temporal without our code. Both are
 * idempotent, so any number of API processes may run them.
 */
export async function startApiRole(options: ApiRoleOptions): Promise<ApiRole> {
  const { deps, sweeper, starter } = createApiServices(options);
  const { port, host } = options.config.http;
  // Not app.listen: Express 5 hands a listen error to its callback as if listening had worked.
  const server = http.createServer(createApp(deps));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(listenError(err, { port, host, portVariable: 'PORT' })),
    );
    server.listen(port, host, () => resolve());
  });
  const tasks =
    options.backgroundTasks === false
      ? []
      : [
          startPeriodicTask('outbox sweep', 5_000, () => sweeper.sweepOnce(), options.logger),
          startPeriodicTask('reconciliation sweep', 30_000, () => deps.reconciler.sweepOnce(), options.logger),
          startPeriodicTask('cancellation sweep', 2_000, () => deps.canceller.sendPendingCancels(), options.logger),
          ...retentionTasks(options),
          ...deliveryStateTasks(options),
        ];
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    deps,
    stop: async () => {
      for (const task of tasks) await task.stop();
      // Requests under way may finish; a keep-alive connection left idle, or one still busy after 5 s, is cut.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(force);
      // Starts the last requests left running finish (or give up) before the client closes.
      await starter.drain();
    },
  };
}

/** With `RETENTION_DAYS`, old history is pruned in the background (ADR 13). */
function retentionTasks(options: ApiRoleOptions): PeriodicTask[] {
  const days = options.config.retentionDays ?? 0;
  if (days <= 0) return [];
  return [
    startRetentionTask({
      days,
      store: options.stores.retention,
      metrics: options.metrics.retention,
      logger: options.logger,
    }),
  ];
}

/** The delivery-state gauges, read from Postgres in the background and served from memory (audit 2). */
function deliveryStateTasks(options: ApiRoleOptions): PeriodicTask[] {
  const gauges = options.metrics.deliveryState;
  if (!gauges) return [];
  return [
    startPeriodicTask('delivery state gauges', DELIVERY_STATE_REFRESH_MS, () => gauges.refresh(), options.logger, 0),
  ];
}
