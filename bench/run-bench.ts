/**
 * `npm run bench`: the product measured against the Temporal server it runs on, in one run on one machine. Every
 * scenario is bounded in count (BENCH_SCALE multiplies the counts, default 1) and in time (BENCH_TIMEOUT_S per
 * scenario, default 300). BENCH_SCENARIOS picks scenarios by name (comma separated; default: all).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { measureDeliveryCost } from './scenarios/delivery-cost';
import { measureTemporalFloor } from './scenarios/temporal-floor';
import { runTriggerScenario, type TriggerScenario } from './scenarios/trigger-scenarios';
import { startBenchStack } from './support/bench-stack';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
const ALL = ['floor', 'latency', 'throughput', 'fan-out', 'cost'] as const;
const chosen = new Set((process.env.BENCH_SCENARIOS ?? ALL.join(',')).split(',').map((s) => s.trim()));

const TRIGGERS: Record<string, TriggerScenario> = {
  latency: { name: 'latency: one trigger at a time', events: Math.round(200 * SCALE), concurrency: 1, webhooks: 1 },
  throughput: {
    name: 'throughput: 32 concurrent triggers',
    events: Math.round(1000 * SCALE),
    concurrency: 32,
    webhooks: 1,
  },
  'fan-out': {
    name: 'fan-out: 100 events × 10 webhooks, 8 concurrent',
    events: Math.round(100 * SCALE),
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

async function main(): Promise<void> {
  console.log(`Tidehook benchmark: ${machine()}`);
  const bench = await startBenchStack();
  try {
    let floor: number | undefined;
    if (chosen.has('floor')) {
      const result = await measureTemporalFloor(bench, {
        workflows: Math.round(1000 * SCALE),
        warmup: 200,
        concurrency: 32,
        deadline: Date.now() + TIMEOUT_MS,
      });
      floor = result['workflows/s'];
      console.log("\nTemporal floor (minimal workflow, the product's start options, eager, 32 concurrent starts)");
      console.table([result]);
    }
    const triggerResults = [];
    for (const name of ['latency', 'throughput', 'fan-out']) {
      if (!chosen.has(name)) continue;
      const result = await runTriggerScenario(bench, TRIGGERS[name]!, TIMEOUT_MS);
      triggerResults.push({
        ...result,
        ...(floor && { '% of floor': `${Math.round((result['deliveries/s'] / floor) * 100)}%` }),
      });
    }
    if (triggerResults.length > 0) {
      console.log('\nDeliveries, HTTP trigger to verified receipt');
      console.table(triggerResults);
    }
    if (chosen.has('cost')) {
      console.log('\nCost of one delivery (read off its history; statements counted in this process)');
      console.table(await measureDeliveryCost(bench, { deadline: Date.now() + TIMEOUT_MS }));
    }
    const failed = triggerResults.some((r) => r.received < r.deliveries || r['bad signatures'] > 0);
    if (failed) process.exitCode = 1;
  } finally {
    await bench.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
