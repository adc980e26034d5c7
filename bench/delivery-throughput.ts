/**
 * `npm run bench`: deliveries per second from HTTP trigger to verified receipt, and trigger→receipt latency, on the
 * embedded stack (embedded PostgreSQL, Temporal dev server, one worker, the API, all on this machine; the receiver
 * on 127.0.0.1 verifies every signature). Three scenarios on one stack: latency at a gentle load, throughput at
 * saturation, and fan-out (one event to ten webhooks). Bounded in count and time: BENCH_SCALE (default 1)
 * multiplies the event counts, BENCH_TIMEOUT_S (default 300) bounds each scenario.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { SecretCipher } from '../src/secrets/secret-cipher';
import { createDatabase, migrateToLatest } from '../src/db/create-database';
import { startEmbeddedPostgres } from '../src/embedded/start-embedded-postgres';
import { startTemporalDevServer } from '../src/embedded/start-temporal-dev-server';
import { createMetrics } from '../src/metrics/create-metrics';
import { generateWebhookSecret } from '../src/signature/sign-payload';
import { verifyWebhookSignature } from '../src/signature/verify-signature';
import { createLogger } from '../src/system/create-logger';
import { connectTemporalClient, connectWorkerConnection } from '../src/system/connect-temporal';
import { installTemporalRuntime } from '../src/system/install-temporal-runtime';
import { startApiRole } from '../src/system/start-api-role';
import { startWorkerRole } from '../src/system/start-worker-role';
import { createStores } from '../src/store/create-stores';
import { DEFAULT_LANE_SETTINGS } from '../src/lanes/lane-settings';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SCENARIOS = [
  { name: 'latency (1 request at a time)', events: 200 * SCALE, concurrency: 1, webhooks: 1 },
  { name: 'throughput (32 concurrent triggers)', events: 1000 * SCALE, concurrency: 32, webhooks: 1 },
  { name: 'fan-out (1 event to 10 webhooks)', events: 100 * SCALE, concurrency: 8, webhooks: 10 },
];
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
const TASK_QUEUE = 'bench-deliveries';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  installTemporalRuntime(logger);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-bench-'));
  fs.chmodSync(dataDir, 0o777);
  const postgres = await startEmbeddedPostgres({ dataDir, preferredPort: 0 });
  const temporal = await startTemporalDevServer({
    dataDir,
    namespace: 'default',
    headless: true,
    preferredGrpcPort: 0,
    unsafeFastStorage: process.env.BENCH_UNSAFE_STORAGE === '1',
  });
  const db = createDatabase(postgres.connectionString, { poolMax: 20 });
  await migrateToLatest(db);
  const cipher = new SecretCipher(randomBytes(32));
  const stores = createStores(db, cipher);
  const metrics = createMetrics({ stores, processMetrics: false });
  const { client, close: closeClient } = await connectTemporalClient(temporal.address, 'default');
  const workerConnection = await connectWorkerConnection(temporal.address);
  const config = {
    http: { port: 0, host: '127.0.0.1', publicBaseUrl: undefined },
    targets: { allowHttp: true, allowPrivate: true },
    rateLimitPerMinute: 1200,
    triggers: { teamDeliveriesPerMinute: 0, teamDeliveryBurst: 1, maxDeliveriesPerRequest: 1_000 },
    temporal: { namespace: 'default', taskQueue: TASK_QUEUE },
    lanes: DEFAULT_LANE_SETTINGS,
  };
  const worker = await startWorkerRole({
    config,
    connection: workerConnection,
    stores,
    cipher,
    logger,
    metrics,
    userAgent: 'Tidehook/bench',
  });
  const api = await startApiRole({ config, stores, client, logger, metrics, temporalUiUrl: undefined });

  // The receiver verifies every signature, as a real one must, and records when each event arrived.
  const secret = generateWebhookSecret();
  const receivedAt = new Map<string, number[]>();
  let badSignatures = 0;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        verifyWebhookSignature({
          payload: body,
          signatureHeader: req.headers['x-lettermint-signature'] as string,
          secret,
        });
        const id = (JSON.parse(body.toString()) as { id: string }).id;
        receivedAt.set(id, [...(receivedAt.get(id) ?? []), performance.now()]);
        res.writeHead(200).end('ok');
      } catch {
        badSignatures++;
        res.writeHead(400).end('bad signature');
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const { teams } = stores;
  const team = await teams.createTeam('bench');
  const token = await teams.createToken(team.id, 'bench', ['manage', 'trigger']);
  const project = await stores.projects.create(team.id, 'bench');

  const reports = [];
  for (const scenario of SCENARIOS) {
    const created = await stores.routes.create({
      teamId: team.id,
      projectId: project.id,
      name: scenario.name,
      slug: randomUUID(),
      routeType: 'transactional',
    });
    if (created.kind !== 'ok') throw new Error(`could not create the route of ${scenario.name}`);
    const routeId = created.route.id;
    for (let i = 0; i < scenario.webhooks; i++) {
      await stores.webhookSecrets.createOnLiveRoute({
        teamId: team.id,
        routeId,
        name: `bench ${i}`,
        url: receiverUrl,
        events: ['message.delivered'],
        enabled: true,
        includeMachineEvents: false,
        secret,
      });
    }
    reports.push(
      await runScenario({
        ...scenario,
        routeId,
        apiUrl: api.url,
        token,
        receivedAt,
        badSignatures: () => badSignatures,
      }),
    );
  }
  console.log(
    `Tidehook delivery benchmark: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, embedded stack`,
  );
  console.table(reports);

  await api.stop();
  receiver.close();
  await worker.stop();
  await workerConnection.close();
  await closeClient();
  await db.destroy();
  await temporal.stop();
  await postgres.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (reports.some((r) => r.received < r.expected) || badSignatures > 0) process.exitCode = 1;
}

async function runScenario(options: {
  name: string;
  events: number;
  concurrency: number;
  webhooks: number;
  routeId: string;
  apiUrl: string;
  token: string;
  receivedAt: Map<string, number[]>;
  badSignatures: () => number;
}) {
  const { events, webhooks, receivedAt } = options;
  const expected = events * webhooks;
  const triggeredAt = new Map<string, number>();
  const triggerLatencies: number[] = [];
  let failedTriggers = 0;
  const deadline = Date.now() + TIMEOUT_MS;
  const started = performance.now();
  let next = 0;
  const prefix = randomUUID().slice(0, 8);
  const lane = async () => {
    while (next < events && Date.now() < deadline) {
      const id = `bench-${prefix}-${next++}`;
      const t0 = performance.now();
      triggeredAt.set(id, t0);
      const response = await fetch(`${options.apiUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          route_id: options.routeId,
          event: 'message.delivered',
          id,
          data: { message_id: id, to: 'bench@example.com' },
        }),
      });
      await response.arrayBuffer();
      if (response.status !== 202) failedTriggers++;
      triggerLatencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const ids = [...triggeredAt.keys()];
  const countReceived = () => ids.reduce((n, id) => n + Math.min(receivedAt.get(id)?.length ?? 0, webhooks), 0);
  while (countReceived() < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const lastReceipt = Math.max(...ids.flatMap((id) => receivedAt.get(id) ?? []));
  const endToEnd = ids
    .flatMap((id) => (receivedAt.get(id) ?? []).map((t) => t - triggeredAt.get(id)!))
    .sort((a, b) => a - b);
  const triggerSorted = triggerLatencies.sort((a, b) => a - b);
  const received = countReceived();
  return {
    scenario: options.name,
    expected,
    received,
    duplicates: ids.reduce((n, id) => n + Math.max(0, (receivedAt.get(id)?.length ?? 0) - webhooks), 0),
    bad_signatures: options.badSignatures(),
    failed_triggers: failedTriggers,
    'deliveries/s': Math.round((received / (lastReceipt - started)) * 1000),
    'trigger p50 ms': Math.round(percentile(triggerSorted, 50)),
    'trigger p99 ms': Math.round(percentile(triggerSorted, 99)),
    'e2e p50 ms': Math.round(percentile(endToEnd, 50)),
    'e2e p99 ms': Math.round(percentile(endToEnd, 99)),
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
