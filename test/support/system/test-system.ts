import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { createWebhookPoster, type WebhookPosterOptions } from '../../../activities/post-webhook';
import type { AppDependencies } from '../../../src/api/app-dependencies';
import type { OutboxSweeper } from '../../../src/deliveries/outbox-sweeper';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../../../src/embedded/start-temporal-dev-server';
import { createMetrics } from '../../../src/metrics/create-metrics';
import type { SecretCipher } from '../../../src/secrets/secret-cipher';
import { createDatabase } from '../../../src/db/create-database';
import { settleLateCalls } from '../../../src/deliveries/within-deadline';
import { LATE_CALLS_GRACE_MS } from '../../../src/system/connect-temporal';
import { createStores, type Stores } from '../../../src/store/create-stores';
import { WORKER_DATABASE_OPTIONS } from '../../../src/system/open-stores';
import { createApiServices, type ApiConfig } from '../../../src/system/start-api-role';
import { startWorkerRole, type WorkerConfig, type WorkerRole } from '../../../src/system/start-worker-role';
import { DEFAULT_LANE_SETTINGS, type LaneSettings } from '../../../src/lanes/lane-settings';
import { createGuardedDispatcher } from '../../../src/targets/create-guarded-dispatcher';
import { createHostResolver, type HostResolverOptions } from '../../../src/targets/create-host-resolver';
import { createApp } from '../../../src/api/create-app';
import { trackResource } from './open-resources';
import { TEST_SECRET_CIPHER } from './test-secret-cipher';
import { createTestDatabase, type TestDatabase } from './test-postgres';
import { createTimeSkippingEnvironment, sharedWorkflowBundle } from './test-temporal';

/** The METRICS_TOKEN of every test system's API. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';
export const TEST_TASK_QUEUE = 'webhook-deliveries-test';
export const TEST_USER_AGENT = 'Tidehook/test';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** The whole product on real parts: its own Postgres database, a Temporal server, a worker and the HTTP API. */
export interface TestSystem {
  database: TestDatabase;
  /** The stores over the test database, with the test cipher (or the one given). */
  stores: Stores;
  deps: AppDependencies;
  /** The API's outbox sweeper; tests run its passes by hand (the periodic sweeps are off here). */
  sweeper: OutboxSweeper;
  client: Client;
  /** Only with `temporal: 'time-skipping'`. */
  env: TestWorkflowEnvironment | undefined;
  /** gRPC address of the Temporal server, for workers in child processes. */
  temporalAddress: string;
  baseUrl: string;
  api<T = any>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; rawBody?: string },
  ): Promise<ApiResponse<T>>;
  /**
   * `GET /metrics` on the API's port with the system's METRICS_TOKEN, after reading the delivery-state gauges (an
   * API process reads them every 30 s in the background; here, on every scrape).
   */
  scrapeMetrics(): Promise<string>;
  /** Stops the worker (as a crash would, if `graceful` is false) so a test can start another. */
  restartWorker(): Promise<void>;
  /**
   * Only with `temporal: 'dev-server'`: stops the dev server, runs `whileDown`, and starts it again on the same
   * port and data, so the API's client and the worker reconnect to what they knew.
   */
  restartTemporal(whileDown: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface TestSystemOptions {
  temporal: 'time-skipping' | 'dev-server';
  poster?: WebhookPosterOptions;
  /** @default true; false when the test runs workers in child processes of its own. */
  inProcessWorker?: boolean;
  /** @default 0: off, so suites that send thousands of requests measure the API, not the limiter. */
  rateLimitPerMinute?: number;
  /** @default DEFAULT_LANE_SETTINGS */
  lanes?: Partial<LaneSettings>;
  /** @default no per-team budget, 1,000 deliveries per request */
  triggers?: Partial<ApiConfig['triggers']>;
  /** The keyring of the API and the worker. @default TEST_SECRET_CIPHER */
  cipher?: SecretCipher;
  /** Connections of the worker's pool (which has production's timeouts, WORKER_DATABASE_OPTIONS). @default 20 */
  workerPoolMax?: number;
  /** The resolver of webhook hosts, for the worker and the API. @default no DNS: the hosts file and IP literals only */
  dns?: HostResolverOptions;
}

/**
 * Tests never ask real DNS: names come from the hosts file (localhost), and any other name fails at once (the only
 * server is a loopback port nobody listens on), so a webhook on `hooks.example.com` is judged on its text alone.
 */
const TEST_HOST_RESOLVER = createHostResolver({ servers: ['127.0.0.1:9'], timeoutMs: 500, tries: 1 });

/** Throwaway data, but kept across a stop and start (the store is only not fsynced). */
function startDevServer(dataDir: string, port: number): Promise<TemporalDevServerHandle> {
  return startTemporalDevServer({
    dataDir,
    namespace: 'default',
    headless: true,
    unsafeFastStorage: true,
    preferredGrpcPort: port,
  });
}

const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export async function startTestSystem(options: TestSystemOptions): Promise<TestSystem> {
  const database = await createTestDatabase();
  let env: TestWorkflowEnvironment | undefined;
  let devServer: TemporalDevServerHandle | undefined;
  let devServerDir: string | undefined;
  let clientConnection: Connection | undefined;
  let workerConnection: NativeConnection;
  let client: Client;
  if (options.temporal === 'time-skipping') {
    env = await createTimeSkippingEnvironment();
    client = env.client;
    workerConnection = env.nativeConnection;
  } else {
    devServerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-test-temporal-'));
    devServer = await startDevServer(devServerDir, 0);
    clientConnection = await Connection.connect({ address: devServer.address });
    client = new Client({ connection: clientConnection, namespace: 'default' });
    workerConnection = await NativeConnection.connect({ address: devServer.address });
  }

  const cipher = options.cipher ?? TEST_SECRET_CIPHER;
  const stores = createStores(database.db, cipher);
  // The worker's pool is production's (src/worker-main.ts, src/main.ts): statements and waits for a connection end
  // well before an attempt's heartbeat timeout. The API and the tests keep the plain pool of the test database.
  const workerDb = createDatabase(database.url, {
    ...WORKER_DATABASE_OPTIONS,
    poolMax: options.workerPoolMax ?? 20,
  });
  const workerStores = createStores(workerDb, cipher);
  const resolveHost = options.dns ? createHostResolver(options.dns) : TEST_HOST_RESOLVER;
  const config: ApiConfig & WorkerConfig = {
    http: { port: 0, host: '127.0.0.1', publicBaseUrl: undefined },
    targets: { allowHttp: true, allowPrivate: true },
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    triggers: { teamDeliveriesPerMinute: 0, teamDeliveryBurst: 1, maxDeliveriesPerRequest: 1_000, ...options.triggers },
    temporal: { namespace: 'default', taskQueue: TEST_TASK_QUEUE },
    lanes: { ...DEFAULT_LANE_SETTINGS, ...options.lanes },
    metricsToken: TEST_METRICS_TOKEN,
  };
  // The production dispatcher, with loopback allowed: every attempt still goes through the SSRF guard's code path.
  const metrics = createMetrics({ stores, processMetrics: false });
  const post = createWebhookPoster({
    dispatcher: createGuardedDispatcher(config.targets, { resolve: resolveHost }),
    ...options.poster,
  });
  const workflowBundle = await sharedWorkflowBundle();
  const newWorker = () =>
    startWorkerRole({
      config,
      connection: workerConnection,
      stores: workerStores,
      cipher,
      logger: silentLogger,
      metrics,
      post,
      userAgent: TEST_USER_AGENT,
      workflowBundle,
    });
  let worker: WorkerRole | undefined = options.inProcessWorker === false ? undefined : await newWorker();

  const { deps, sweeper } = createApiServices({
    config,
    stores,
    client,
    resolveHost,
    logger: silentLogger,
    metrics,
    temporalUiUrl: 'http://127.0.0.1:8233',
  });
  const server: http.Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const system: TestSystem = {
    database,
    stores,
    deps,
    sweeper,
    client,
    env,
    baseUrl,
    async scrapeMetrics() {
      await deps.metrics.deliveryState?.refresh();
      const response = await fetch(`${baseUrl}/metrics`, {
        headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      });
      if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
      return response.text();
    },
    async api(method, urlPath, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.body);
      }
      const response = await fetch(`${baseUrl}${urlPath}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: the raw text is the body
      }
      return { status: response.status, body: parsed as any, headers: response.headers };
    },
    temporalAddress: devServer?.address ?? env!.address,
    async restartWorker() {
      await worker?.stop();
      worker = await newWorker();
    },
    async restartTemporal(whileDown) {
      if (!devServer || !devServerDir) throw new Error('restartTemporal needs temporal: dev-server');
      const port = Number(devServer.address.split(':').at(-1));
      const address = devServer.address;
      await devServer.stop();
      try {
        await whileDown();
      } finally {
        devServer = await startDevServer(devServerDir, port);
      }
      if (devServer.address !== address) {
        throw new Error(`Temporal came back on ${devServer.address}, not ${address}: the port was taken meanwhile`);
      }
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await worker?.stop();
      // A call that outlived its deadline may still be retrying: a retry on a closed channel throws outside any test.
      await settleLateCalls(client, LATE_CALLS_GRACE_MS);
      if (env) await env.teardown();
      if (clientConnection) await clientConnection.close();
      if (devServer) {
        await workerConnection.close();
        await devServer.stop();
      }
      if (devServerDir) fs.rmSync(devServerDir, { recursive: true, force: true });
      await workerDb.destroy();
      await database.drop();
      untrack();
    },
  };
  const untrack = trackResource(system, `test system (${options.temporal}) at ${baseUrl}`);
  return system;
}
