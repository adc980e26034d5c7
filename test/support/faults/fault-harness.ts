import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Database } from '../../../src/db/create-database';
import { DELIVERY_WORKFLOW_TYPE } from '../../../src/deliveries/delivery-starter';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../../../src/embedded/start-temporal-dev-server';
import type { DeliveryWorkflowInput } from '../../../workflows/delivery-workflow-input';
import { createTenant, createWebhookRow } from '../system/fixtures';
import { trackResource } from '../system/open-resources';
import { createTestDatabase, type TestDatabase } from '../system/test-postgres';
import { TEST_TASK_QUEUE } from '../system/test-system';
import { spawnWorkerProcess, type WorkerProcess } from '../system/worker-process';

/** One delivery started by a fault test: its rows are in Postgres, its workflow runs on the harness's server. */
export interface FaultDelivery {
  label: string;
  deliveryId: string;
  workflowId: string;
  /** The envelope `id` the receiver sees: `evt-<deliveryId>`. */
  envelopeId: string;
  schedule: readonly number[];
  handle: WorkflowHandle;
}

/**
 * The parts a fault test breaks, each on its own so it can be broken: a database of this file's own on the run's
 * Postgres, a Temporal dev server persisted in a folder of its own (so it can be stopped and started again on the
 * same port), and delivery workers in child processes (so they can be SIGKILLed).
 */
export interface FaultHarness {
  db: Database;
  database: TestDatabase;
  client: Client;
  temporalAddress: string;
  tenant: Awaited<ReturnType<typeof createTenant>>;
  /** A worker process on the test task queue (`extra`: more of its configuration); `kill`ed by `killWorkers` or `close` at the latest. */
  spawnWorker(extra?: Record<string, string>): Promise<WorkerProcess>;
  /** SIGKILLs every worker process this harness started that is still alive. */
  killWorkers(): Promise<void>;
  /** Stops the Temporal dev server (SIGTERM), runs `whileDown`, starts it again on the same folder and port. */
  restartTemporal(whileDown: () => Promise<void>): Promise<void>;
  createWebhook(url: string): Promise<string>;
  /** Inserts the event and delivery rows and starts the delivery workflow (`webhookDeliveryWorkflow`) with the given schedule. */
  startDelivery(input: { label: string; webhookId: string; schedule: readonly number[] }): Promise<FaultDelivery>;
  close(): Promise<void>;
}

export async function startFaultHarness(): Promise<FaultHarness> {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-fault-temporal-'));
  // Real fsync: the restart test relies on what the server wrote before it went down.
  const startServer = (port: number) =>
    startTemporalDevServer({ dataDir, namespace: 'default', headless: true, preferredGrpcPort: port });
  let devServer: TemporalDevServerHandle | undefined = await startServer(0);
  const temporalAddress = devServer.address;
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const tenant = await createTenant(database.db);
  const workers: WorkerProcess[] = [];

  const harness: FaultHarness = {
    db: database.db,
    database,
    client,
    temporalAddress,
    tenant,
    async spawnWorker(extra) {
      const worker = await spawnWorkerProcess({
        databaseUrl: database.url,
        temporalAddress,
        taskQueue: TEST_TASK_QUEUE,
        extra,
      });
      workers.push(worker);
      return worker;
    },
    async killWorkers() {
      for (const worker of workers.splice(0)) await worker.kill('SIGKILL');
    },
    async restartTemporal(whileDown) {
      const port = Number(temporalAddress.split(':')[1]);
      await devServer?.stop();
      devServer = undefined;
      try {
        await whileDown();
      } finally {
        devServer = await startServer(port);
      }
      if (devServer.address !== temporalAddress) {
        throw new Error(
          `Temporal came back on ${devServer.address}, not ${temporalAddress}: port ${port} was taken meanwhile`,
        );
      }
    },
    async createWebhook(url) {
      return (await createWebhookRow(database.db, { ...tenant, url })).id;
    },
    async startDelivery({ label, webhookId, schedule }) {
      const db = database.db;
      const eventId = randomUUID();
      const deliveryId = randomUUID();
      const envelopeId = `evt-${deliveryId}`;
      const workflowId = `delivery:message.delivered:${deliveryId}`;
      const body = JSON.stringify({
        id: envelopeId,
        event: 'message.delivered',
        timestamp: new Date().toISOString(),
        data: { label },
      });
      await db('events').insert({
        id: eventId,
        team_id: tenant.teamId,
        route_id: tenant.routeId,
        envelope_id: envelopeId,
        event_type: 'message.delivered',
        body,
        occurred_at: new Date(),
      });
      await db('deliveries').insert({
        id: deliveryId,
        team_id: tenant.teamId,
        event_id: eventId,
        webhook_id: webhookId,
        route_id: tenant.routeId,
        workflow_id: workflowId,
        workflow_started_at: new Date(),
      });
      const input: DeliveryWorkflowInput = {
        deliveryId,
        webhookId,
        routeId: tenant.routeId,
        projectId: tenant.projectId,
        eventType: 'message.delivered',
        schedule,
      };
      // The product's workflow with the product's workflow task timeout, so a crash costs what it costs in production.
      const handle = await client.workflow.start(DELIVERY_WORKFLOW_TYPE, {
        taskQueue: TEST_TASK_QUEUE,
        workflowId,
        args: [input],
        workflowTaskTimeout: '5s',
      });
      return { label, deliveryId, workflowId, envelopeId, schedule, handle };
    },
    async close() {
      await harness.killWorkers();
      await connection.close();
      await devServer?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await database.drop();
      untrack();
    },
  };
  const untrack = trackResource(harness, `fault harness (Temporal at ${temporalAddress})`);
  return harness;
}

/** How many of the delivery's waits have begun: `TimerStarted` events in its history so far. */
export async function timersStarted(delivery: FaultDelivery): Promise<number> {
  const history = await delivery.handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED)
    .length;
}

export { waitUntil } from '../system/wait-until';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
