import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findFreePort } from '../../src/embedded/free-port';
import { SECRET_KEY_FILE } from '../../src/secrets/load-secret-cipher';
import type { BenchStack } from '../support/bench-stack';
import { cpuSeconds } from '../support/process-stats';
import { runTriggerScenario, type TriggerScenario, type TriggerScenarioResult } from './trigger-scenarios';

const ROOT = path.resolve(__dirname, '../..');

interface RoleProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The production topology on loopback: the API and `workers` workers as processes of their own (the entry points
 * `api-main` and `worker-main`) against the stack's Postgres and Temporal, with the same receiver and checks as the
 * in-process scenario. Starts are not eager here: the API's client has no worker beside it.
 */
export async function runScaleOut(
  bench: BenchStack,
  scenario: TriggerScenario,
  options: { workers: number; timeoutMs: number },
): Promise<TriggerScenarioResult & { processes: string; 'CPU s per process': string }> {
  const key = fs.readFileSync(path.join(bench.dataDir, SECRET_KEY_FILE), 'utf8').trim();
  const env = {
    ...process.env,
    DATABASE_URL: bench.postgres.connectionString,
    TEMPORAL_ADDRESS: bench.temporal.address,
    TEMPORAL_NAMESPACE: bench.config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: `scale-out`,
    SECRET_ENCRYPTION_KEY: key,
    ALLOW_HTTP_TARGETS: 'true',
    ALLOW_PRIVATE_TARGETS: 'true',
    LOG_LEVEL: 'info',
    METRICS_PORT: '0',
  };
  const port = await findFreePort(0);
  const roles: RoleProcess[] = [];
  try {
    roles.push(await spawnRole('api', 'src/api-main.ts', { ...env, PORT: String(port) }, 'API listening'));
    for (let i = 1; i <= options.workers; i++) {
      roles.push(await spawnRole(`worker ${i}`, 'src/worker-main.ts', env, 'worker running'));
    }
    const before = roles.map((role) => cpuSeconds(role.child.pid));
    const result = await runTriggerScenario(
      { ...bench, apiUrl: `http://127.0.0.1:${port}` },
      scenario,
      options.timeoutMs,
    );
    const used = roles.map(
      (role, i) => `${role.name} ${Math.round((cpuSeconds(role.child.pid) - before[i]!) * 10) / 10}`,
    );
    return {
      ...result,
      // Statements are sent by the role processes here, not by this one.
      'statements/delivery': Number.NaN,
      processes: `1 API + ${options.workers} workers`,
      'CPU s per process': used.join(', '),
    };
  } finally {
    for (const role of roles.reverse()) await role.stop();
  }
}

async function spawnRole(name: string, entry: string, env: NodeJS.ProcessEnv, ready: string): Promise<RoleProcess> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, entry)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready in 90 s:\n${output.join('')}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      if (chunk.toString().includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output.join('').slice(-4000)}`));
    });
  });
  return {
    name,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}
