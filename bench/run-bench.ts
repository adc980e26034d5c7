/**
 * `npm run bench`: the product measured against the Temporal server it runs on, in one run on one machine, with
 * the machine, the commit and the date printed first. Every scenario is bounded in count (BENCH_SCALE multiplies the
 * counts, default 1) and in time (BENCH_TIMEOUT_S per scenario, default 600). BENCH_SCENARIOS picks scenarios by
 * name (comma separated): floor, latency, throughput, fan-out, cost, noisy, parked, scale-out, durability.
 * BENCH_PARKED sets the parked deliveries (default 20,000), BENCH_PARK_RATE their pace per second (default 45% of
 * the throughput scenario's rate, or 12 without it).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { measureDeliveryCost } from './scenarios/delivery-cost';
import { runNoisyNeighbour } from './scenarios/noisy-neighbour';
import { runParkedRetries } from './scenarios/parked-retries';
import { runScaleOut } from './scenarios/scale-out';
import { measureTemporalFloor } from './scenarios/temporal-floor';
import { runTriggerScenario, type TriggerScenario } from './scenarios/trigger-scenarios';
import { startBenchStack, type BenchStackOptions } from './support/bench-stack';
import { startSilentDns } from './support/silent-dns';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 600) * 1000;
const ALL = ['floor', 'latency', 'throughput', 'fan-out', 'cost', 'noisy', 'parked', 'scale-out', 'durability'];
const chosen = new Set((process.env.BENCH_SCENARIOS ?? ALL.join(',')).split(',').map((s) => s.trim()));
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));

const TRIGGERS: Record<'latency' | 'latencyAlone' | 'throughput' | 'fanOut', TriggerScenario> = {
  latency: { name: 'latency: one trigger at a time', events: scaled(200), concurrency: 1, webhooks: 1 },
  latencyAlone: {
    name: 'latency: one delivery at a time',
    events: scaled(200),
    concurrency: 1,
    webhooks: 1,
    oneDeliveryAtATime: true,
  },
  throughput: { name: 'throughput: 32 concurrent triggers', events: scaled(1000), concurrency: 32, webhooks: 1 },
  fanOut: {
    name: 'fan-out: 100 events × 10 webhooks, 8 concurrent',
    events: scaled(100),
    concurrency: 8,
    webhooks: 10,
  },
};

function machine(): string {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, commit ${commit}, ${new Date().toISOString()}`;
}

const deadline = () => Date.now() + TIMEOUT_MS;
const percent = (rate: number, floor: number | undefined) => (floor ? `${Math.round((rate / floor) * 100)}%` : '-');

/** A latency scenario's p50 as the floor it is measured against plus what the product adds. */
function againstFloor(floorMs: number | undefined, p50: number) {
  return floorMs === undefined ? {} : { 'p50 vs one-at-a-time floor': `${floorMs} ms + ${p50 - floorMs} ms` };
}

async function withStack<T>(
  options: BenchStackOptions,
  run: (bench: Awaited<ReturnType<typeof startBenchStack>>) => Promise<T>,
) {
  const bench = await startBenchStack(options);
  try {
    return await run(bench);
  } finally {
    await bench.stop();
  }
}

async function main(): Promise<void> {
  console.log(`Tidehook benchmark: ${machine()}`);
  let failed = false;
  let floor: number | undefined;
  let inProcessRate: number | undefined;
  /** start→ran p50 of the least workflow one at a time: back to back, and each once the last ran. */
  const latencyFloorMs: { backToBack?: number; alone?: number } = {};

  await withStack({}, async (bench) => {
    if (chosen.has('floor')) {
      // 32 at a time: the rate floor. One at a time: the latency scenario's floor, start call to its first line
      // run. And a delivery's shape without its work: what a local activity adds to the least workflow.
      const floors = [
        { workflow: 'least', concurrency: 32, workflows: scaled(1000), warmup: 200 },
        { workflow: 'least', concurrency: 1, workflows: scaled(200), warmup: 20 },
        {
          workflow: 'least, each once the last ran',
          concurrency: 1,
          workflows: scaled(200),
          warmup: 20,
          nextAfterRan: true,
        },
        {
          workflow: 'one no-op local activity',
          concurrency: 32,
          workflows: scaled(1000),
          warmup: 200,
          workflowType: 'floorWithLocalActivityWorkflow' as const,
        },
      ];
      const measured = [];
      for (const { workflow, ...options } of floors) {
        const result = await measureTemporalFloor(bench, { ...options, deadline: deadline() });
        measured.push({ workflow, concurrency: options.concurrency, ...result });
      }
      floor = measured[0]!['workflows/s'];
      latencyFloorMs.backToBack = measured[1]!['start→ran p50 ms'];
      latencyFloorMs.alone = measured[2]!['start→ran p50 ms'];
      console.log(
        "\nTemporal floor: the least workflow, started with the product's start options (eager), 32 at a time, one at a time back to back and each once the last ran; and with a delivery's shape",
      );
      console.table(measured);
    }
    const rows = [];
    // Both latency rows run as `latency`, each against the floor measured its way.
    const triggerRuns = [
      { chosenAs: 'latency', scenario: TRIGGERS.latency, floorMs: latencyFloorMs.backToBack },
      { chosenAs: 'latency', scenario: TRIGGERS.latencyAlone, floorMs: latencyFloorMs.alone },
      { chosenAs: 'throughput', scenario: TRIGGERS.throughput },
      { chosenAs: 'fan-out', scenario: TRIGGERS.fanOut },
    ];
    for (const { chosenAs, scenario, floorMs } of triggerRuns) {
      if (!chosen.has(chosenAs)) continue;
      const result = await runTriggerScenario(bench, scenario, TIMEOUT_MS);
      if (chosenAs === 'throughput') inProcessRate = result['deliveries/s'];
      failed ||= result.received < result.deliveries || result['bad signatures'] > 0 || result.duplicates > 0;
      const p50 = Number(result['trigger→receipt p50/p99 ms'].split(' / ')[0]);
      rows.push({ ...result, '% of floor': percent(result['deliveries/s'], floor), ...againstFloor(floorMs, p50) });
    }
    if (rows.length > 0) {
      console.log('\nDeliveries, HTTP trigger to verified receipt (npm start in one process)');
      console.table(rows);
    }
    if (chosen.has('cost')) {
      console.log('\nCost of one delivery, read off its history (statements: what this process sent to Postgres)');
      console.table(await measureDeliveryCost(bench, { deadline: deadline() }));
    }
  });

  if (chosen.has('noisy')) {
    const dns = await startSilentDns();
    try {
      // Team budgets sized for this machine: a third of what it delivers (the throughput scenario above, else the
      // floor, else 25/s), a burst of two seconds of it but at least A's batches of 25. A budget at the machine's
      // whole rate lets one team fill it; one sized from the server's floor alone would, where the product's own
      // work makes the machine deliver less than the floor.
      const perSecond = Math.max(1, Math.round((inProcessRate ?? floor ?? 75) / 3));
      const env = {
        DNS_SERVERS: dns.address,
        TEAM_DELIVERIES_PER_MINUTE: String(perSecond * 60),
        TEAM_DELIVERY_BURST: String(Math.max(50, perSecond * 2)),
      };
      await withStack({ env }, async (bench) => {
        const result = await runNoisyNeighbour(bench, {
          victimEvents: scaled(200),
          attackEvents: scaled(1000),
          deadline: deadline(),
        });
        console.log(
          `\nNoisy neighbour: team A floods a black hole and a dead name server (TEAM_DELIVERIES_PER_MINUTE=${env.TEAM_DELIVERIES_PER_MINUTE}); B's p99 under attack / alone = ${result.ratio}`,
        );
        console.table(result.rows);
        failed ||= result.rows.some(
          (row) => row['B received'] < row['B deliveries'] || row['B duplicates'] > 0 || row['A lost'] > 0,
        );
      });
    } finally {
      await dns.close();
    }
  }

  if (chosen.has('parked')) {
    const deliveries = Number(process.env.BENCH_PARKED ?? scaled(20_000));
    // Every parked delivery is started once and woken once a minute later, so at a pace r the machine does about 2r
    // deliveries' work a second: kept under what it delivers (45% of the throughput scenario's rate, else 12/s),
    // the timers measure lateness, not a backlog.
    const ratePerSecond = Number(
      process.env.BENCH_PARK_RATE ?? (inProcessRate ? Math.max(1, Math.floor(inProcessRate * 0.45)) : 12),
    );
    await withStack({}, async (bench) => {
      const result = await runParkedRetries(bench, {
        deliveries,
        ratePerSecond,
        deadline: Date.now() + Math.max(TIMEOUT_MS, (deliveries / ratePerSecond) * 3_000),
      });
      console.log(
        `\nParked retries: ${deliveries} deliveries in backoff (receiver answers 500), parked at ${ratePerSecond}/s`,
      );
      console.table(result.snapshots);
      console.table([
        {
          ...result.perDelivery,
          'attempt 2 lateness p50/p99/max ms': `${result.lateness.p50} / ${result.lateness.p99} / ${result.lateness.max}`,
          'attempts 2 measured': result.lateness.attempts,
        },
      ]);
      console.log(`attempt 2 lateness p99 by tenth of the deliveries, in parking order (s): ${result.latenessByTenth}`);
      console.log(`fast-lane deferrals meanwhile: ${result.deferrals}`);
    });
  }

  if (chosen.has('scale-out')) {
    await withStack({ roles: false }, async (bench) => {
      const result = await runScaleOut(bench, TRIGGERS.throughput, { workers: 2, timeoutMs: TIMEOUT_MS });
      console.log(
        `\nScale-out: the API and two workers as processes of their own (no eager starts), same Temporal and Postgres`,
      );
      console.table([
        {
          ...result,
          'vs one process': inProcessRate ? `${Math.round((result['deliveries/s'] / inProcessRate) * 100)}%` : '-',
        },
      ]);
      failed ||= result.received < result.deliveries || result['bad signatures'] > 0;
    });
  }

  if (chosen.has('durability')) {
    const rows: Array<Record<string, string | number>> = [];
    for (const sqliteSynchronous of ['FULL', 'NORMAL', 'OFF'] as const) {
      await withStack({ temporal: { sqliteSynchronous } }, async (bench) => {
        const floorResult = await measureTemporalFloor(bench, {
          workflows: scaled(600),
          warmup: 100,
          concurrency: 32,
          deadline: deadline(),
        });
        const product = await runTriggerScenario(bench, { ...TRIGGERS.throughput, events: scaled(600) }, TIMEOUT_MS);
        rows.push({
          'SQLite synchronous': sqliteSynchronous,
          'floor workflows/s': floorResult['workflows/s'],
          'deliveries/s': product['deliveries/s'],
          '% of floor': percent(product['deliveries/s'], floorResult['workflows/s']),
        });
      });
    }
    console.log("\nThe embedded dev server's durability (ADR 9): floor and throughput by SQLite synchronous mode");
    console.table(rows);
  }
  if (failed) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
