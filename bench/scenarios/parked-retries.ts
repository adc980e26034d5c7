import os from 'node:os';
import { generateWebhookSecret } from '../../src/signature/sign-payload';
import { startBenchReceiver } from '../support/bench-receiver';
import { createBenchRoute, type BenchStack } from '../support/bench-stack';
import { spread } from '../support/percentiles';
import { rssMiB, temporalServerPid, temporalStoreBytes } from '../support/process-stats';
import { runTriggers } from '../support/trigger-load';

export interface ParkedSnapshot {
  parked: number;
  /** In backoff at this moment: attempt 1 recorded, attempt 2 not yet begun. */
  'in backoff now': number;
  'load avg 1 min': number;
  'worker RSS MiB': number;
  'server RSS MiB': number;
  'Temporal store MiB': number;
  'Postgres MiB': number;
}

export interface ParkedRetriesResult {
  snapshots: ParkedSnapshot[];
  perDelivery: { 'Temporal store bytes': number; 'Postgres bytes': number };
  lateness: { attempts: number; p50: number; p99: number; max: number };
  /** p99 lateness (s) of attempt 2 in each tenth of the deliveries, in the order they were parked. */
  latenessByTenth: string;
  /** Attempts the fast lane handed to a queued lane meanwhile, by reason → lane (ADR 6). */
  deferrals: string;
}

/**
 * Parks `deliveries` deliveries in backoff (their receiver answers 500 to attempt 1, so each waits 1 min for attempt
 * 2, which it then accepts), at
 * `ratePerSecond`, then measures what a parked delivery costs (Temporal store and Postgres bytes, worker and server
 * memory at 1,000 and at the end) and how late attempt 2 starts when all their timers fire within minutes.
 */
export async function runParkedRetries(
  bench: BenchStack,
  options: { deliveries: number; ratePerSecond: number; deadline: number },
): Promise<ParkedRetriesResult> {
  const secret = generateWebhookSecret();
  const receiver = await startBenchReceiver(secret);
  // Attempt 1 fails, so every delivery waits the schedule's minute; attempt 2 succeeds, so the scenario ends there
  // and the server sees parking and waking, not a growing pile of attempts 3, 4, …
  const failedOnce = new Set<string>();
  receiver.answer = (id) => {
    if (failedOnce.has(id)) return 200;
    failedOnce.add(id);
    return 500;
  };
  const serverPid = temporalServerPid(bench.dataDir);
  const databaseBytes = async () =>
    Number((await bench.db.raw('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
  try {
    const route = await createBenchRoute(bench, bench.team, { name: 'parked', url: receiver.url, secret });
    const snapshot = async (parked: number): Promise<ParkedSnapshot> => ({
      parked,
      'in backoff now':
        (await countAttempts(bench, route.webhookIds[0]!, 1, 'recorded')) -
        (await countAttempts(bench, route.webhookIds[0]!, 2, 'begun')),
      'load avg 1 min': Math.round(os.loadavg()[0]! * 10) / 10,
      'worker RSS MiB': rssMiB(),
      'server RSS MiB': rssMiB(serverPid),
      'Temporal store MiB': Math.round((temporalStoreBytes(bench.dataDir) / 2 ** 20) * 10) / 10,
      'Postgres MiB': Math.round(((await databaseBytes()) / 2 ** 20) * 10) / 10,
    });
    const baseStore = temporalStoreBytes(bench.dataDir);
    const baseDatabase = await databaseBytes();
    const snapshots: ParkedSnapshot[] = [];

    // Paced in batches of 50 events a second-fraction apart, so attempt 1 and, a minute later, attempt 2 of each
    // delivery keep the same pace: the server sees parking and waking at once, as a real backlog would.
    const batch = 50;
    const pauseMs = Math.max(0, Math.round((batch / options.ratePerSecond) * 1000));
    let parkedFirst = false;
    const first = Math.min(1_000, options.deliveries);
    const run = await runTriggers({
      apiUrl: bench.apiUrl,
      token: bench.team.token,
      routeId: route.routeId,
      events: first,
      concurrency: 1,
      batch,
      pauseMs,
      deadline: options.deadline,
    });
    await waitFor(
      async () => (await countAttempts(bench, route.webhookIds[0]!, 1, 'recorded')) >= first,
      options.deadline,
    );
    snapshots.push(await snapshot(first));
    parkedFirst = true;
    if (options.deliveries > first) {
      await runTriggers({
        apiUrl: bench.apiUrl,
        token: bench.team.token,
        routeId: route.routeId,
        events: options.deliveries - first,
        concurrency: 1,
        batch,
        pauseMs,
        deadline: options.deadline,
      });
      await waitFor(
        async () => (await countAttempts(bench, route.webhookIds[0]!, 1, 'recorded')) >= options.deliveries,
        options.deadline,
      );
    }
    void run;
    void parkedFirst;
    snapshots.push(await snapshot(options.deliveries));
    const store = temporalStoreBytes(bench.dataDir) - baseStore;
    const database = (await databaseBytes()) - baseDatabase;

    // Attempt 2 of every delivery is due one minute after its attempt 1 ended.
    await waitFor(
      async () => (await countAttempts(bench, route.webhookIds[0]!, 2, 'recorded')) >= options.deliveries,
      options.deadline,
    );
    const rows: Array<{ late_ms: string }> = (
      await bench.db.raw(
        `SELECT extract(epoch FROM (a2.started_at - (a1.finished_at + interval '60 seconds'))) * 1000 AS late_ms
           FROM attempts a1 JOIN attempts a2 ON a2.delivery_id = a1.delivery_id AND a2.attempt_number = 2
          WHERE a1.webhook_id = ? AND a1.attempt_number = 1`,
        [route.webhookIds[0]!],
      )
    ).rows;
    const late = spread(rows.map((row) => Number(row.late_ms)));
    const tenths: Array<{ p99: string }> = (
      await bench.db.raw(
        `SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY late_ms) AS p99 FROM (
           SELECT ntile(10) OVER (ORDER BY a1.started_at) AS tenth,
                  extract(epoch FROM (a2.started_at - (a1.finished_at + interval '60 seconds'))) * 1000 AS late_ms
             FROM attempts a1 JOIN attempts a2 ON a2.delivery_id = a1.delivery_id AND a2.attempt_number = 2
            WHERE a1.webhook_id = ? AND a1.attempt_number = 1) t
          GROUP BY tenth ORDER BY tenth`,
        [route.webhookIds[0]!],
      )
    ).rows;
    const deferrals = (await bench.metrics.registry.getSingleMetric('tidehook_lane_deferrals_total')?.get())?.values
      .filter((v) => v.value > 0)
      .map((v) => `${v.labels.reason} → ${v.labels.to}: ${v.value}`)
      .join(', ');
    return {
      snapshots,
      perDelivery: {
        'Temporal store bytes': Math.round(store / options.deliveries),
        'Postgres bytes': Math.round(database / options.deliveries),
      },
      lateness: { attempts: rows.length, ...late },
      latenessByTenth: tenths.map((t) => (Number(t.p99) / 1000).toFixed(1)).join(' / '),
      deferrals: deferrals || 'none',
    };
  } finally {
    await receiver.close();
  }
}

/** Attempts of this number the webhook has recorded (an outcome) or begun (a start time, outcome or not). */
async function countAttempts(
  bench: BenchStack,
  webhookId: string,
  attemptNumber: number,
  having: 'recorded' | 'begun',
): Promise<number> {
  const query = bench.db('attempts').where({ webhook_id: webhookId, attempt_number: attemptNumber });
  if (having === 'recorded') query.whereNot('status', 'pending');
  else query.whereNotNull('started_at');
  const [row] = await query.count<{ n: string }[]>({ n: '*' });
  return Number(row?.n ?? 0);
}

async function waitFor(check: () => Promise<boolean>, deadline: number): Promise<void> {
  while (Date.now() < deadline && !(await check())) await new Promise((resolve) => setTimeout(resolve, 1_000));
}
