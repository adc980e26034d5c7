import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { createWebhookPoster, type WebhookPosterOptions } from '../../activities/post-webhook';
import { createApp } from '../../src/api/create-app';
import { createMetrics } from '../../src/metrics/create-metrics';
import { createGuardedDispatcher } from '../../src/targets/create-guarded-dispatcher';
import type { AppDependencies } from '../../src/api/create-app';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../../src/embedded/start-temporal-dev-server';
import { createApiDependencies } from '../../src/system/create-api-dependencies';
import { createDeliveryWorker } from '../../src/worker/create-delivery-worker';
import { trackResource } from './root-hooks';
import { TEST_SECRET_CIPHER } from './test-secret-cipher';
import { createTestDatabase, type TestDatabase } from './test-postgres';
import { createTimeSkippingEnvironment, sharedWorkflowBundle } from './test-temporal';

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
  deps: AppDependencies;
  client: Client;
  /** Only with `temporal: 'time-skipping'`. */
  env: TestWorkflowEnvironment | undefined;
  worker: Worker | undefined;
  /** gRPC address of the Temporal server, for workers in child processes. */
  temporalAddress: string;
  baseUrl: string;
  api<T = any>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; rawBody?: string },
  ): Promise<ApiResponse<T>>;
  /** Stops the worker (as a crash would, if `graceful` is false) so a test can start another. */
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface TestSystemOptions {
  temporal: 'time-skipping' | 'dev-server';
  poster?: WebhookPosterOptions;
  /** @default true; false when the test runs workers in child processes of its own. */
  inProcessWorker?: boolean;
  /** @default 0: off, so suites that send thousands of requests measure the API, not the limiter. */
  rateLimitPerMinute?: number;
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
    devServer = await startTemporalDevServer({
      dataDir: devServerDir,
      namespace: 'default',
      headless: true,
      unsafeFastStorage: true,
      preferredGrpcPort: 0,
    });
    clientConnection = await Connection.connect({ address: devServer.address });
    client = new Client({ connection: clientConnection, namespace: 'default' });
    workerConnection = await NativeConnection.connect({ address: devServer.address });
  }

  // The production dispatcher, with loopback allowed: every attempt still goes through the SSRF guard's code path.
  const metrics = createMetrics({ db: database.db, processMetrics: false });
  const post = createWebhookPoster({
    dispatcher: createGuardedDispatcher({ allowHttp: true, allowPrivate: true }),
    ...options.poster,
  });
  const workflowBundle = await sharedWorkflowBundle();
  const newWorker = () =>
    createDeliveryWorker({
      connection: workerConnection,
      namespace: 'default',
      taskQueue: TEST_TASK_QUEUE,
      db: database.db,
      post,
      userAgent: TEST_USER_AGENT,
      logger: silentLogger,
      metrics: metrics.delivery,
      secretCipher: TEST_SECRET_CIPHER,
      workflowBundle,
    });
  let worker = options.inProcessWorker === false ? undefined : await newWorker();
  let workerRun = worker?.run();

  const deps = createApiDependencies({
    db: database.db,
    client,
    logger: silentLogger,
    namespace: 'default',
    taskQueue: TEST_TASK_QUEUE,
    temporalUiUrl: 'http://127.0.0.1:8233',
    targets: { allowHttp: true, allowPrivate: true },
    metrics,
    secretCipher: TEST_SECRET_CIPHER,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
  });
  const server: http.Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const system: TestSystem = {
    database,
    deps,
    client,
    env,
    get worker() {
      return worker;
    },
    baseUrl,
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
      worker?.shutdown();
      await workerRun;
      worker = await newWorker();
      workerRun = worker.run();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      worker?.shutdown();
      await workerRun;
      if (env) await env.teardown();
      if (clientConnection) await clientConnection.close();
      if (devServer) {
        await workerConnection.close();
        await devServer.stop();
      }
      if (devServerDir) fs.rmSync(devServerDir, { recursive: true, force: true });
      await database.drop();
      untrack();
    },
  };
  const untrack = trackResource(system, `test system (${options.temporal}) at ${baseUrl}`);
  return system;
}
