import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config/load-config';
import type { Database } from '../../src/db/create-database';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/embedded/start-embedded-postgres';
import {
  startTemporalDevServer,
  type TemporalDevServerHandle,
  type TemporalDevServerOptions,
} from '../../src/embedded/start-temporal-dev-server';
import { createMetrics, type Metrics } from '../../src/metrics/create-metrics';
import type { SecretCipher } from '../../src/secrets/secret-cipher';
import type { Stores } from '../../src/store/create-stores';
import { createLogger } from '../../src/system/create-logger';
import { installTemporalRuntime } from '../../src/system/install-temporal-runtime';
import { openStores, WORKER_DATABASE_OPTIONS } from '../../src/system/open-stores';
import { ShutdownStack } from '../../src/system/shutdown-stack';
import { startApiRole, type ApiRole } from '../../src/system/start-api-role';
import { startWorkerRole, type WorkerRole } from '../../src/system/start-worker-role';
import { createHostResolver } from '../../src/targets/create-host-resolver';

/** The product as `npm start` runs it (embedded Postgres and Temporal dev server, one worker, the API), on loopback. */
export interface BenchStack {
  config: Config;
  dataDir: string;
  logger: Logger;
  stack: ShutdownStack;
  postgres: EmbeddedPostgresHandle;
  temporal: TemporalDevServerHandle;
  db: Database;
  stores: Stores;
  cipher: SecretCipher;
  /** On the worker's NativeConnection, as the all-in-one process has it: starts are eager. */
  client: Client;
  connection: NativeConnection;
  metrics: Metrics;
  /** Undefined when the stack runs without its in-process roles (the scale-out mode runs them as processes). */
  api: ApiRole | undefined;
  worker: WorkerRole | undefined;
  apiUrl: string;
  team: { id: string; token: string; projectId: string };
  /** Statements this process has sent to Postgres so far. */
  statements(): number;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Variables on top of the product's defaults (all the product's own defaults apply otherwise). */
  env?: Record<string, string>;
  /** As the product's launcher takes them; the product's own choice when absent. */
  temporal?: Pick<TemporalDevServerOptions, 'sqliteSynchronous'>;
  /** @default true; false for the scale-out mode, whose API and workers are processes of their own. */
  roles?: boolean;
}

export async function startBenchStack(options: BenchStackOptions = {}): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-bench-'));
  fs.chmodSync(dataDir, 0o777);
  const config = loadConfig({
    PATH: process.env.PATH,
    DATA_DIR: dataDir,
    ALLOW_HTTP_TARGETS: 'true',
    ALLOW_PRIVATE_TARGETS: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PORT: '0',
    ...options.env,
  });
  const logger = createLogger(config.logLevel);
  installTemporalRuntime(logger.child({ component: 'temporal-sdk' }));
  const stack = new ShutdownStack(logger);
  stack.push('data folder', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const postgres = await startEmbeddedPostgres({ dataDir, preferredPort: 0 });
  stack.push('postgres', () => postgres.stop());
  const temporal = await startTemporalDevServer({
    dataDir,
    namespace: config.temporal.namespace,
    headless: true,
    preferredGrpcPort: 0,
    ...options.temporal,
  });
  stack.push('temporal', () => temporal.stop());
  const { db, stores, cipher } = await openStores(
    config,
    { url: postgres.connectionString, embedded: true, ...WORKER_DATABASE_OPTIONS, poolMax: config.databasePoolMax },
    stack,
  );
  let statements = 0;
  db.on('query', () => statements++);

  const connection = await NativeConnection.connect({ address: temporal.address });
  stack.push('worker connection', () => connection.close());
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const metrics = createMetrics({ stores, processMetrics: false });
  const resolveHost = createHostResolver({ ...config.dns, metrics: metrics.dns });

  let worker: WorkerRole | undefined;
  let api: ApiRole | undefined;
  if (options.roles !== false) {
    worker = await startWorkerRole({ config, connection, stores, cipher, logger, metrics, resolveHost });
    stack.push('worker', () => worker!.stop());
    api = await startApiRole({
      config,
      stores,
      client,
      eagerStarts: true,
      logger,
      metrics,
      temporalUiUrl: undefined,
      resolveHost,
    });
    stack.push('api', () => api!.stop());
  }

  const team = await stores.teams.createTeam('bench');
  const token = await stores.teams.createToken(team.id, 'bench', ['manage', 'trigger']);
  const project = await stores.projects.create(team.id, 'bench');
  return {
    config,
    dataDir,
    logger,
    stack,
    postgres,
    temporal,
    db,
    stores,
    cipher,
    client,
    connection,
    metrics,
    api,
    worker,
    apiUrl: api?.url ?? '',
    team: { id: team.id, token, projectId: project.id },
    statements: () => statements,
    stop: () => stack.stopAll(),
  };
}

/** A route of its own with `webhooks` webhooks to `url`, all with one secret; answers the route and webhook ids. */
export async function createBenchRoute(
  bench: Pick<BenchStack, 'stores'>,
  team: { id: string; projectId: string },
  options: { name: string; url: string; secret: string; webhooks?: number; events?: string[] },
): Promise<{ routeId: string; webhookIds: string[] }> {
  const created = await bench.stores.routes.create({
    teamId: team.id,
    projectId: team.projectId,
    name: options.name,
    slug: randomUUID(),
    routeType: 'transactional',
  });
  if (created.kind !== 'ok') throw new Error(`could not create the route ${options.name}`);
  const { secret } = options;
  const webhookIds: string[] = [];
  for (let i = 0; i < (options.webhooks ?? 1); i++) {
    const webhook = await bench.stores.webhookSecrets.createOnLiveRoute({
      teamId: team.id,
      routeId: created.route.id,
      name: `${options.name} ${i}`,
      url: options.url,
      events: options.events ?? ['message.delivered'],
      enabled: true,
      includeMachineEvents: false,
      secret,
    });
    webhookIds.push(webhook!.id);
  }
  return { routeId: created.route.id, webhookIds };
}
