import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { trackResource } from './open-resources';
import { TEST_SECRET_KEY } from './test-secret-cipher';

/** A delivery worker in a child process of its own, so a test can SIGKILL it like a crash would. */
export interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  /** Kills the process (SIGKILL by default) and waits for it to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../../..');

export async function spawnWorkerProcess(env: {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  /** More configuration for the worker, e.g. `ATTEMPT_SLOTS_FAST`. */
  extra?: Record<string, string>;
}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src/worker-main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_TASK_QUEUE: env.taskQueue,
      ALLOW_HTTP_TARGETS: 'true',
      ALLOW_PRIVATE_TARGETS: 'true',
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
      SECRET_ENCRYPTION_KEY: TEST_SECRET_KEY,
      ...env.extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const untrack = trackResource(child, `worker process ${child.pid}`);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      untrack();
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process not ready in 60 s:\n${output.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (chunk.toString().includes('worker running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited with ${code}:\n${output.join('')}`));
    });
  });
  return {
    child,
    output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
