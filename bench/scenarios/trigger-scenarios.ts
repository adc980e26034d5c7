import { generateWebhookSecret } from '../../src/signature/sign-payload';
import { startBenchReceiver, type BenchReceiver } from '../support/bench-receiver';
import { ArrivalWaiter } from '../support/arrival-waiter';
import { createBenchRoute, type BenchStack } from '../support/bench-stack';
import { cpuPerItem, cpuSample } from '../support/cpu-meter';
import { spread } from '../support/percentiles';
import { awaitReceipts, runTriggers } from '../support/trigger-load';

export interface TriggerScenario {
  name: string;
  events: number;
  concurrency: number;
  webhooks: number;
  /** Events per request (a batch). @default 1 */
  batch?: number;
  /**
   * Each lane sends its next request only once the last one's deliveries arrived: every delivery then has the
   * machine to itself, where otherwise the next trigger overlaps the last delivery's attempt and bookkeeping.
   */
  oneDeliveryAtATime?: boolean;
}

export interface TriggerScenarioResult {
  scenario: string;
  deliveries: number;
  received: number;
  'deliveries/s': number;
  'trigger p50/p99 ms': string;
  'trigger→receipt p50/p99 ms': string;
  duplicates: number;
  'bad signatures': number;
  'failed triggers': number;
  /** Postgres statements this process sent, per delivery. */
  'statements/delivery': number;
  /** CPU ms per delivery: bench process (product, load, receiver) / Temporal server / Postgres. */
  'CPU ms each node/temporal/pg': string;
}

/** Triggers through the API to a verifying receiver on 127.0.0.1 and measures trigger → verified receipt. */
export async function runTriggerScenario(
  bench: BenchStack,
  scenario: TriggerScenario,
  timeoutMs: number,
): Promise<TriggerScenarioResult> {
  const secret = generateWebhookSecret();
  const verifying = await startBenchReceiver(secret);
  try {
    const route = await createBenchRoute(bench, bench.team, {
      name: scenario.name,
      url: verifying.url,
      secret,
      webhooks: scenario.webhooks,
    });
    {
      const deadline = Date.now() + timeoutMs;
      const statementsBefore = bench.statements();
      const cpuBefore = cpuSample(bench.dataDir);
      const run = await runTriggers({
        ...(scenario.oneDeliveryAtATime && { afterEach: oneAtATime(verifying, scenario.webhooks, deadline) }),
        apiUrl: bench.apiUrl,
        token: bench.team.token,
        routeId: route.routeId,
        events: scenario.events,
        concurrency: scenario.concurrency,
        batch: scenario.batch,
        deadline,
      });
      const ids = [...run.triggeredAt.keys()];
      const expected = ids.length * scenario.webhooks;
      const received = await awaitReceipts(verifying.receivedAt, ids, scenario.webhooks, deadline);
      const statements = bench.statements() - statementsBefore;
      const cpuAfter = cpuSample(bench.dataDir);
      const arrivals = ids.flatMap((id) => verifying.receivedAt.get(id) ?? []);
      const last = Math.max(...arrivals);
      const endToEnd = ids.flatMap((id) =>
        (verifying.receivedAt.get(id) ?? []).map((at) => at - run.triggeredAt.get(id)!),
      );
      const trigger = spread(run.latencies);
      const e2e = spread(endToEnd);
      return {
        scenario: scenario.name,
        deliveries: expected,
        received,
        'deliveries/s': Math.round((received / (last - run.startedAt)) * 1000 * 10) / 10,
        'trigger p50/p99 ms': `${trigger.p50} / ${trigger.p99}`,
        'trigger→receipt p50/p99 ms': `${e2e.p50} / ${e2e.p99}`,
        duplicates: ids.reduce(
          (n, id) => n + Math.max(0, (verifying.receivedAt.get(id)?.length ?? 0) - scenario.webhooks),
          0,
        ),
        'bad signatures': verifying.badSignatures,
        'failed triggers': run.failed,
        'statements/delivery': Math.round((statements / Math.max(1, received)) * 10) / 10,
        'CPU ms each node/temporal/pg': cpuPerItem(cpuBefore, cpuAfter, received),
      };
    }
  } finally {
    await verifying.close();
  }
}

/** For `oneDeliveryAtATime`: waits until the request's ids arrived `perId` times, woken by the receiver. */
function oneAtATime(receiver: BenchReceiver, perId: number, deadline: number) {
  const arrivals = new ArrivalWaiter();
  // Called before the receiver notes the arrival: wake the waiter once this turn of the event loop is over.
  receiver.onRequest = (id) => setImmediate(() => arrivals.wake(id));
  const arrived = (id: string) => (receiver.receivedAt.get(id)?.length ?? 0) >= perId;
  return (ids: readonly string[]) => arrivals.waitFor(ids, arrived, deadline);
}
