import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { bundleWorkflowCode, Worker, type InjectedSinks } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import { deliveryStartOptions } from '../../src/deliveries/delivery-starter';
import { workflowWorkerOptions } from '../../src/worker/create-delivery-worker';
import { ArrivalWaiter } from '../support/arrival-waiter';
import type { BenchStack } from '../support/bench-stack';
import { cpuPerItem, cpuSample } from '../support/cpu-meter';
import type { FloorActivities, FloorSinks } from '../support/floor-workflows';

export interface FloorResult {
  workflows: number;
  'workflows/s': number;
  'eager share': string;
  'start→ran p50 ms': number;
  'start→ran p99 ms': number;
  /** CPU ms per workflow: bench process / Temporal server / Postgres. */
  'CPU ms each node/temporal/pg': string;
}

/**
 * The Temporal floor: the rate of the least workflow there is (one workflow task, nothing else) on the same
 * server as the product, started exactly as the product starts deliveries (its start options, eager on the
 * worker's connection, 32 at a time) and run by a worker with the product's workflow worker options.
 */
export async function measureTemporalFloor(
  bench: BenchStack,
  options: {
    workflows: number;
    warmup: number;
    concurrency: number;
    deadline: number;
    /** Each lane starts its next workflow only once the last one ran (the floor of one delivery at a time). */
    nextAfterRan?: boolean;
    /** `floorWithLocalActivityWorkflow` adds a delivery's shape (one local activity doing nothing). */
    workflowType?: 'floorWorkflow' | 'floorWithLocalActivityWorkflow';
  },
): Promise<FloorResult> {
  const taskQueue = `floor-${randomUUID().slice(0, 8)}`;
  const ranAt = new Map<string, number>();
  const arrivals = new ArrivalWaiter();
  const worker = await Worker.create({
    connection: bench.connection,
    namespace: bench.config.temporal.namespace,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, '../support/floor-workflows.ts'),
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: console.error,
      },
    }),
    sinks: {
      floor: {
        done: {
          fn: (_info: WorkflowInfo, deliveryId: string) => {
            ranAt.set(deliveryId, performance.now());
            arrivals.wake(deliveryId);
          },
          callDuringReplay: false,
        },
      },
    } satisfies InjectedSinks<FloorSinks>,
    // Only the shape's floor registers its activity: the least workflow's worker polls for workflow tasks only.
    ...(options.workflowType === 'floorWithLocalActivityWorkflow' && {
      activities: {
        floorAttempt: async () => ({ status: 'success', httpStatusCode: 200 }),
      } satisfies FloorActivities,
    }),
    ...workflowWorkerOptions(bench.config.lanes),
  });
  const running = worker.run();
  try {
    const startedAt = new Map<string, number>();
    let eager = 0;
    const run = async (count: number, measured: boolean) => {
      let next = 0;
      const lane = async () => {
        while (next < count && Date.now() < options.deadline) {
          next++;
          const deliveryId = randomUUID();
          const started = performance.now();
          const handle = await bench.client.workflow.start(options.workflowType ?? 'floorWorkflow', {
            ...deliveryStartOptions(
              {
                deliveryId,
                teamId: 'floor',
                workflowId: `floor:${deliveryId}`,
                webhookId: randomUUID(),
                routeId: randomUUID(),
                projectId: randomUUID(),
                eventType: 'message.delivered',
                url: 'https://floor.example.com/hook',
              },
              { taskQueue, eager: true },
            ),
          });
          if (measured) {
            startedAt.set(deliveryId, started);
            if (handle.eagerlyStarted) eager++;
          }
          if (options.nextAfterRan) await arrivals.waitFor([deliveryId], (id) => ranAt.has(id), options.deadline);
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, lane));
    };
    await run(options.warmup, false);
    const first = performance.now();
    const cpuBefore = cpuSample(bench.dataDir);
    await run(options.workflows, true);
    const ids = [...startedAt.keys()];
    while (ids.some((id) => !ranAt.has(id)) && Date.now() < options.deadline) await sleep(20);
    const cpuAfter = cpuSample(bench.dataDir);
    const ran = ids.filter((id) => ranAt.has(id));
    const last = Math.max(...ran.map((id) => ranAt.get(id)!));
    const waits = ran.map((id) => ranAt.get(id)! - startedAt.get(id)!).sort((a, b) => a - b);
    return {
      workflows: ran.length,
      'workflows/s': Math.round((ran.length / (last - first)) * 1000 * 10) / 10,
      'eager share': `${Math.round((eager / Math.max(1, startedAt.size)) * 100)}%`,
      'start→ran p50 ms': Math.round(waits[Math.floor(waits.length / 2)] ?? NaN),
      'start→ran p99 ms': Math.round(waits[Math.floor(waits.length * 0.99)] ?? NaN),
      'CPU ms each node/temporal/pg': cpuPerItem(cpuBefore, cpuAfter, ran.length),
    };
  } finally {
    worker.shutdown();
    await running;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
