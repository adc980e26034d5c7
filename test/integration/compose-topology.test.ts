import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REQUIRED_VARIABLES, type EntryPointRole } from '../../src/config/required-variables';
import { migrationSource } from '../../src/db/migration-source';
import { createDatabase } from '../../src/db/create-database';
import { findFreePort } from '../../src/embedded/free-port';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../../src/embedded/start-temporal-dev-server';
import { verifyWebhookSignature } from '../../src/signature/verify-signature';
import { DEFAULT_TEAM_NAME } from '../../src/store/team-store';
import { startFaultReceiver, type FaultReceiver, type ReceivedPost } from '../support/faults/fault-receiver';
import { trackResource } from '../support/system/open-resources';
import { TEST_SECRET_KEY } from '../support/system/test-secret-cipher';
import { createEmptyTestDatabase } from '../support/system/test-postgres';
import { waitUntil } from '../support/system/wait-until';

/**
 * docker-compose.yml's topology as processes on loopback, since no Docker engine runs here: external-mode API ×2
 * and worker ×2, started at once on an empty database against one Postgres and one Temporal dev server, each with
 * only the variables its entry point requires (plus ports and the local-receiver switches).
 */
const ROOT = path.resolve(__dirname, '../..');
const ROUNDS = 10;
const EVENTS = 120;
const BOOTSTRAP_TOKEN = 'th_compose-topology-bootstrap-token';
/** The receiver answers after this long, so that the worker killed mid-load has POSTs in flight. */
const ANSWER_AFTER_MS = 250;

interface EntryPointProcess {
  name: string;
  child: ChildProcess;
  output: string[];
  /** 127.0.0.1 port of the API, or of the worker's METRICS_PORT listener (its /healthz). */
  port: number;
  /** From spawning the round's processes to this one answering /healthz (within 100 ms). */
  healthyAfterMs?: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function spawnEntryPoint(
  role: Extract<EntryPointRole, 'api' | 'worker'>,
  name: string,
  required: Record<string, string>,
  extra: Record<string, string>,
  port: number,
): EntryPointProcess {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  for (const variable of REQUIRED_VARIABLES[role]) {
    assert.ok(required[variable], `the topology test has no value for ${variable}, which ${role} requires`);
    env[variable] = required[variable];
  }
  const file = role === 'api' ? 'src/api-main.ts' : 'src/worker-main.ts';
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, file)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const untrack = trackResource(child, `${name} (pid ${child.pid})`);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      untrack();
      resolve();
    }),
  );
  return {
    name,
    child,
    output,
    port,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}

function alive(process: EntryPointProcess): boolean {
  return process.child.exitCode === null && process.child.signalCode === null;
}

async function healthy(process: EntryPointProcess): Promise<boolean> {
  if (!alive(process))
    throw new Error(`${process.name} exited (${process.child.exitCode}):\n${process.output.join('')}`);
  const response = await fetch(`http://127.0.0.1:${process.port}/healthz`, { signal: AbortSignal.timeout(1_000) });
  return response.ok;
}

/** The topology of one round: both APIs answer /healthz and both workers poll, or the round fails. */
interface Topology {
  apis: EntryPointProcess[];
  workers: EntryPointProcess[];
  databaseUrl: string;
  dropDatabase(): Promise<void>;
  taskQueue: string;
  spawnWorker(name: string): Promise<EntryPointProcess>;
  stop(): Promise<void>;
}

describe('compose topology as processes on loopback', function () {
  this.timeout(300_000);
  let temporal: TemporalDevServerHandle;
  let temporalDir: string;
  let receiver: FaultReceiver;
  let topology: Topology | undefined;

  before(async () => {
    temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-topology-temporal-'));
    temporal = await startTemporalDevServer({
      dataDir: temporalDir,
      namespace: 'default',
      headless: true,
      unsafeFastStorage: true,
      preferredGrpcPort: 0,
    });
    receiver = await startFaultReceiver();
  });

  after(async () => {
    await topology?.stop();
    await topology?.dropDatabase();
    await receiver?.close();
    await temporal?.stop();
    if (temporalDir) fs.rmSync(temporalDir, { recursive: true, force: true });
  });

  async function startTopology(round: number): Promise<Topology> {
    const database = await createEmptyTestDatabase();
    const taskQueue = `compose-topology-${round}-${process.pid}`;
    const required = {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      SECRET_ENCRYPTION_KEY: TEST_SECRET_KEY,
    };
    const shared = {
      TEMPORAL_TASK_QUEUE: taskQueue,
      ALLOW_HTTP_TARGETS: 'true',
      ALLOW_PRIVATE_TARGETS: 'true',
      LOG_LEVEL: 'info',
    };
    const spawnApi = async (name: string) => {
      const port = await findFreePort();
      return spawnEntryPoint('api', name, required, { ...shared, BOOTSTRAP_TOKEN, PORT: String(port) }, port);
    };
    const spawnWorker = async (name: string) => {
      const port = await findFreePort();
      return spawnEntryPoint('worker', name, required, { ...shared, METRICS_PORT: String(port) }, port);
    };
    // All four at once, as `docker compose up` would start them without the migrate service.
    const started = await Promise.all([
      spawnApi('api-1'),
      spawnApi('api-2'),
      spawnWorker('worker-1'),
      spawnWorker('worker-2'),
    ]);
    const result: Topology = {
      apis: started.slice(0, 2),
      workers: started.slice(2),
      databaseUrl: database.url,
      dropDatabase: database.drop,
      taskQueue,
      async spawnWorker(name) {
        const worker = await spawnWorker(name);
        result.workers.push(worker);
        await waitUntil(() => healthy(worker), `${name} polling`, 60_000, 200);
        return worker;
      },
      async stop() {
        await Promise.all([...result.apis, ...result.workers].map((p) => p.stop()));
      },
    };
    try {
      const spawnedAt = Date.now();
      for (const process of started) {
        await waitUntil(() => healthy(process), `${process.name} healthy (round ${round})`, 60_000, 100);
        process.healthyAfterMs = Date.now() - spawnedAt;
      }
      // Healthy, and still there a moment later (a process that failed its start would have exited by now).
      await new Promise((resolve) => setTimeout(resolve, 250));
      for (const process of started) {
        assert.ok(alive(process), `${process.name} exited after becoming healthy:\n${process.output.join('')}`);
      }
    } catch (err) {
      await result.stop();
      await database.drop();
      throw err;
    }
    return result;
  }

  it(`starts 2 APIs and 2 workers at once on an empty database, ${ROUNDS} times in a row, without a failure`, async () => {
    const apiMs: number[] = [];
    const workerMs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      topology = await startTopology(round);
      apiMs.push(Math.max(...topology.apis.map((p) => p.healthyAfterMs!)));
      workerMs.push(Math.max(...topology.workers.map((p) => p.healthyAfterMs!)));
      const db = createDatabase(topology.databaseUrl, { poolMax: 1 });
      try {
        const migrations = await db('knex_migrations').select('name');
        const expected = (await migrationSource.getMigrations([])).length;
        assert.equal(migrations.length, expected, `round ${round}: each migration recorded once`);
        assert.equal((await db('teams').where({ name: DEFAULT_TEAM_NAME })).length, 1, `round ${round}: one team`);
        assert.equal((await db('api_tokens')).length, 1, `round ${round}: one bootstrap token`);
      } finally {
        await db.destroy();
      }
      // The last round's topology stays up for the load test below.
      if (round < ROUNDS) {
        await topology.stop();
        await topology.dropDatabase();
        topology = undefined;
      }
    }
    const seconds = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(1)).join(', ');
    console.log(
      `      ${ROUNDS}/${ROUNDS} first starts healthy; seconds from spawn to both APIs healthy: ${seconds(apiMs)}; ` +
        `to both workers polling: ${seconds(workerMs)}`,
    );
  });

  it('delivers every event triggered through both APIs while a worker is SIGKILLed and replaced, losing none', async () => {
    assert.ok(topology, 'the previous test leaves its last topology running');
    const [api1, api2] = topology.apis as [EntryPointProcess, EntryPointProcess];
    const call = async (api: EntryPointProcess, method: string, urlPath: string, body?: unknown) => {
      const response = await fetch(`http://127.0.0.1:${api.port}${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const project = await call(api1, 'POST', '/v1/projects', { name: 'Topology' });
    assert.equal(project.status, 201);
    const route = await call(api2, 'POST', `/v1/projects/${project.body.data.id}/routes`, {
      name: 'Transactional',
      route_type: 'transactional',
    });
    assert.equal(route.status, 201);
    const webhook = await call(api1, 'POST', '/v1/webhooks', {
      route_id: route.body.data.id,
      name: 'Topology receiver',
      url: receiver.url,
      events: ['message.delivered'],
    });
    assert.equal(webhook.status, 201, JSON.stringify(webhook.body));
    const secret: string = webhook.body.data.secret;

    let badSignatures = 0;
    receiver.behave = (post: ReceivedPost) => {
      try {
        verifyWebhookSignature({ payload: post.body, signatureHeader: post.signature, secret });
      } catch {
        badSignatures++;
      }
      return {
        kind: 'hold',
        release: new Promise((resolve) => setTimeout(() => resolve(200), ANSWER_AFTER_MS)),
        maxMs: 5_000,
      };
    };

    const started = Date.now();
    const envelopeIds = Array.from({ length: EVENTS }, (_, i) => `evt-topology-${i}`);
    const failedTriggers: string[] = [];
    let next = 0;
    let killed: { at: number; postsSoFar: number } | undefined;
    const victim = topology.workers[0]!;
    const trigger = async () => {
      for (let i = next++; i < EVENTS; i = next++) {
        // Alternate between the two APIs, as a load balancer would.
        const api = i % 2 === 0 ? api1 : api2;
        const answer = await call(api, 'POST', '/v1/events', {
          route_id: route.body.data.id,
          event: 'message.delivered',
          id: envelopeIds[i],
          data: { n: i },
        });
        if (answer.status !== 202) failedTriggers.push(`${envelopeIds[i]}: ${answer.status}`);
        if (i === Math.floor(EVENTS / 3) && !killed) {
          // Mid-load: SIGKILL a worker (a crash, no drain), then start another in its place.
          killed = { at: Date.now(), postsSoFar: receiver.posts.length };
          await victim.stop('SIGKILL');
          await topology!.spawnWorker('worker-3');
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, () => trigger()));
    const triggeredAfter = Date.now() - started;
    assert.deepEqual(failedTriggers, []);
    assert.ok(killed, 'a worker was killed mid-load');

    const answered = (id: string) => receiver.postsFor(id).some((p) => p.endedAt !== undefined && !p.abandoned);
    await waitUntil(() => envelopeIds.every(answered), 'a 200 for every event at the receiver', 90_000, 100);
    const db = createDatabase(topology.databaseUrl, { poolMax: 1 });
    try {
      await waitUntil(
        async () => (await db('deliveries').whereNot({ status: 'success' })).length === 0,
        'every delivery recorded as success',
        30_000,
        200,
      );
      const deliveries = await db('deliveries').select('id', 'status', 'attempts_count');
      const attempts = await db('attempts').select('delivery_id', 'attempt_number', 'status');
      const receivedIds = new Set(receiver.posts.map((p) => p.envelopeId));
      const lost = envelopeIds.filter((id) => !receivedIds.has(id));
      const duplicates = receiver.posts.length - receivedIds.size;
      const repeatedAttempts = receiver.posts.filter((p) => p.attemptNumber !== 1);
      // Every duplicate must be what the README's at-least-once rule allows: an attempt that was under way on the
      // killed worker (its first POST arrived before the kill), sent again once the attempt's heartbeat stopped.
      const duplicated = envelopeIds
        .map((id) => receiver.postsFor(id))
        .filter((posts) => posts.length > 1)
        .map((posts) => ({ first: posts[0]!, again: posts.slice(1) }));
      const resentAfterMs = duplicated.flatMap(({ first, again }) => again.map((p) => p.receivedAt - first.receivedAt));
      console.log(
        `      ${EVENTS} events through 2 APIs; worker-1 SIGKILLed at ${killed.at - started} ms (${killed.postsSoFar} ` +
          `POSTs received so far), worker-3 started; triggers done at ${triggeredAfter} ms, all received at ` +
          `${Date.now() - started} ms: ${receiver.posts.length} POSTs, ${receivedIds.size} distinct events, ` +
          `${lost.length} lost, ${duplicates} duplicates (sent again after ${resentAfterMs.join(', ')} ms), ` +
          `${badSignatures} bad signatures`,
      );
      assert.deepEqual(lost, []);
      assert.equal(deliveries.length, EVENTS);
      assert.ok(deliveries.every((d) => d.status === 'success' && d.attempts_count === 1));
      // At-least-once, as the README says: a duplicate is the same attempt sent again after its worker died, and it
      // is recorded once. Nothing else repeats.
      assert.equal(attempts.length, EVENTS, 'one attempt record per delivery');
      assert.deepEqual(repeatedAttempts, [], 'no second attempt: the first one succeeded everywhere');
      for (const { first, again } of duplicated) {
        assert.ok(first.receivedAt < killed.at, `${first.envelopeId}: sent twice, though it started after the kill`);
        for (const post of again) {
          assert.equal(post.body, first.body, `${first.envelopeId}: the body changed`);
          assert.ok(post.receivedAt > killed.at, `${first.envelopeId}: sent twice before the kill`);
        }
      }
      assert.equal(badSignatures, 0);
      for (const process of [...topology.apis, ...topology.workers.slice(1)]) assert.ok(alive(process), process.name);
    } finally {
      await db.destroy();
    }
  });
});
