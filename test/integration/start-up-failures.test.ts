import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/embedded/start-embedded-postgres';
import { startTemporalDevServer } from '../../src/embedded/start-temporal-dev-server';
import { serveMetrics } from '../../src/metrics/serve-metrics';
import { createMetrics } from '../../src/metrics/create-metrics';
import { findTemporalBinary } from '../../src/embedded/find-temporal-binary';

const ROOT = path.resolve(__dirname, '../..');
const AS_ROOT = process.getuid?.() === 0;

/** A listener on a free loopback port, standing for "another program already uses this port". */
async function occupyPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * `npm start`'s entry point in a child process, bounded in time. Resolves with its exit code and everything it
 * printed; kills it (and anything it left behind under `dataDir`) if it runs past `timeoutMs`.
 */
async function runMain(
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  const inherited = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'BOOTSTRAP_TOKEN', 'SECRET_ENCRYPTION_KEY', 'PORT']) {
    delete inherited[name];
  }
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'info', TEMPORAL_GRPC_PORT: '0', TEMPORAL_UI_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

/** Stops a Postgres or Temporal server a killed entry point may have left under `dataDir`, so none outlives the test. */
function reapServers(dataDir: string): void {
  for (const pidFile of [
    path.join(dataDir, 'postgres', 'postmaster.pid'),
    path.join(dataDir, 'temporal', 'server.pid'),
  ]) {
    try {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 1) process.kill(pid, 'SIGKILL');
    } catch {
      // no pid file, or the process is gone: nothing left behind
    }
  }
}

function mode(dir: string): number {
  return fs.statSync(dir).mode & 0o777;
}

describe('start-up failures', function () {
  this.timeout(90_000);
  const folders: string[] = [];
  const tempFolder = (prefix: string) => {
    // mkdtemp makes the folder mode 700, as `mktemp -d` does.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    folders.push(dir);
    return dir;
  };

  after(() => {
    for (const dir of folders) {
      reapServers(dir);
      reapServers(path.join(dir, 'data'));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('DATA_DIR', () => {
    it('starts the embedded PostgreSQL in a DATA_DIR only its owner can enter, without letting anyone list it', async () => {
      const dataDir = tempFolder('tidehook-private-data-');
      assert.equal(mode(dataDir), 0o700);
      const notices: string[] = [];
      const postgres = await startEmbeddedPostgres({
        dataDir,
        preferredPort: 0,
        databaseName: 'postgres',
        notice: (line) => notices.push(line),
      });
      try {
        const client = new Client({ connectionString: postgres.connectionString });
        await client.connect();
        assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
        await client.end();
      } finally {
        await postgres.stop();
      }
      if (AS_ROOT) {
        // Postgres runs as the system user "postgres" here: DATA_DIR gained search permission for others, no more.
        assert.equal(mode(dataDir), 0o701);
        assert.match(notices.join('\n'), /DATA_DIR .*added search permission for others \(mode 700 → 701\)/);
      } else {
        assert.equal(mode(dataDir), 0o700, 'Postgres runs as this user: nothing to change');
        assert.deepEqual(notices, []);
      }
      assert.equal(mode(path.join(dataDir, 'postgres')), 0o700);
    });

    it('fails naming DATA_DIR, the folder above it that the postgres user cannot enter, and the fix', async function () {
      if (!AS_ROOT) this.skip(); // only root hands Postgres to another user
      const parent = tempFolder('tidehook-private-parent-');
      const dataDir = path.join(parent, 'data');
      const started = Date.now();
      const { code, output } = await runMain({ DATA_DIR: dataDir, PORT: '0' }, 60_000);
      assert.equal(code, 1, output);
      assert.ok(
        output.includes(
          `DATA_DIR ${dataDir}: PostgreSQL runs as the system user \\"postgres\\" (it refuses to run as root) and cannot enter ${parent} (mode 700, owner uid 0). Choose a DATA_DIR that user can reach (e.g. /var/lib/tidehook), or let it through (chmod o+x ${parent}), or set DATABASE_URL`,
        ),
        output,
      );
      assert.equal(mode(parent), 0o700, 'a folder above DATA_DIR is never changed');
      console.log(`      exited 1 after ${Date.now() - started} ms`);
    });

    it('does not open up a DATA_DIR whose files others could read, and names them', async function () {
      if (!AS_ROOT) this.skip();
      const dataDir = tempFolder('tidehook-shared-files-');
      fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'readable by all\n', { mode: 0o644 });
      await assert.rejects(
        startEmbeddedPostgres({ dataDir, preferredPort: 0, databaseName: 'postgres' }),
        (err: Error) => {
          assert.match(
            err.message,
            /^DATA_DIR .*: PostgreSQL runs as the system user "postgres" .* cannot enter DATA_DIR \(mode 700\); Tidehook did not open it up because others could then read notes\.txt \(mode 644\)\. Make those private/,
          );
          return true;
        },
      );
      assert.equal(mode(dataDir), 0o700);
    });
  });

  describe('ports', () => {
    it('ends npm start with a message naming PORT when the port is taken, after falling back from taken Temporal ports', async () => {
      const api = await occupyPort();
      const grpc = await occupyPort();
      const ui = await occupyPort();
      const dataDir = tempFolder('tidehook-port-taken-');
      const started = Date.now();
      try {
        const { code, output } = await runMain(
          {
            DATA_DIR: dataDir,
            PORT: String(api.port),
            TEMPORAL_GRPC_PORT: String(grpc.port),
            TEMPORAL_UI_PORT: String(ui.port),
          },
          80_000,
        );
        assert.equal(code, 1, output);
        assert.ok(
          output.includes(
            `PORT=${api.port}: 127.0.0.1:${api.port} is already in use (another Tidehook, or another program). Stop it, or set PORT to a free port.`,
          ),
          output,
        );
        assert.doesNotMatch(output, /TypeError|reading 'address'/);
        // The Temporal ports were taken too: the dev server moved to free ones, and the worker got as far as running.
        assert.doesNotMatch(output, /TEMPORAL_(GRPC|UI)_PORT/);
        assert.match(output, /"state":"RUNNING"/);
        // Everything it started was stopped on the way out.
        assert.ok(!fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 'Postgres left running');
        assert.ok(!fs.existsSync(path.join(dataDir, 'temporal', 'server.pid')), 'Temporal left running');
        console.log(`      exited 1 after ${Date.now() - started} ms`);
      } finally {
        await Promise.all([api.close(), grpc.close(), ui.close()]);
      }
    });

    it('names METRICS_PORT when a worker metrics port is taken, and HOST when the address is not this machine', async () => {
      const taken = await occupyPort();
      const { registry } = createMetrics({ processMetrics: false });
      try {
        await assert.rejects(serveMetrics(registry, taken.port, '127.0.0.1'), {
          message: `METRICS_PORT=${taken.port}: 127.0.0.1:${taken.port} is already in use (another Tidehook, or another program). Stop it, or set METRICS_PORT to a free port.`,
          code: 'EADDRINUSE',
        });
      } finally {
        await taken.close();
      }
      await assert.rejects(serveMetrics(registry, 0, '192.0.2.1'), {
        message:
          'HOST=192.0.2.1: no such address on this machine, so 192.0.2.1:0 cannot be listened on. Set HOST to one of its addresses (127.0.0.1, 0.0.0.0).',
      });
    });

    it('moves the embedded Temporal dev server to a free port when the configured one is taken', async () => {
      const taken = await occupyPort();
      const dataDir = tempFolder('tidehook-temporal-fallback-');
      try {
        const server = await startTemporalDevServer({
          dataDir,
          namespace: 'default',
          headless: true,
          unsafeFastStorage: true,
          preferredGrpcPort: taken.port,
        });
        try {
          assert.notEqual(server.address, `127.0.0.1:${taken.port}`);
          assert.match(server.address, /^127\.0\.0\.1:\d+$/);
        } finally {
          await server.stop();
        }
      } finally {
        await taken.close();
      }
    });

    for (const [flag, variable, headless] of [
      ['--port', 'TEMPORAL_GRPC_PORT', true],
      ['--ui-port', 'TEMPORAL_UI_PORT', false],
    ] as const) {
      it(`names ${variable} when another program takes the port between the check and the bind, every try`, async () => {
        const real = findTemporalBinary('temporal');
        assert.ok(real, 'npm run provision installs the Temporal CLI');
        const dir = tempFolder('tidehook-port-race-');
        // The real CLI behind a wrapper that binds the port it is about to be given first: the race, every time.
        const wrapper = path.join(dir, 'temporal-with-port-grabbed');
        fs.writeFileSync(
          wrapper,
          [
            `#!${process.execPath}`,
            "const net = require('node:net');",
            "const { spawn } = require('node:child_process');",
            'const args = process.argv.slice(2);',
            `const port = Number(args[args.indexOf(${JSON.stringify(flag)}) + 1]);`,
            "const grab = net.createServer().listen(port, '127.0.0.1', () => {",
            `  const child = spawn(${JSON.stringify(real)}, args, { stdio: 'inherit' });`,
            // It stands for our server: it exits as the CLI does, while "the other program" would keep the port.
            "  child.on('exit', (code) => process.exit(code ?? 1));",
            '});',
          ].join('\n'),
          { mode: 0o755 },
        );
        const started = Date.now();
        await assert.rejects(
          startTemporalDevServer({
            dataDir: dir,
            namespace: 'default',
            headless,
            cliPath: wrapper,
            preferredGrpcPort: 0,
            preferredUiPort: 0,
          }),
          (err: Error) => {
            assert.match(
              err.message,
              new RegExp(
                `^${variable}: the embedded Temporal dev server could not listen on 127\\.0\\.0\\.1:\\d+: it was free when checked and taken by the time the server bound it, 3 times in a row\\. Set ${variable} to a port nothing else uses \\(0 picks a free one\\), or set TEMPORAL_ADDRESS`,
              ),
            );
            return true;
          },
        );
        assert.ok(Date.now() - started < 30_000);
      });
    }
  });
});
