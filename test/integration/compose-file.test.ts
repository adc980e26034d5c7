import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Ajv from 'ajv';
import draft7MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config';
import { REQUIRED_VARIABLES, loadEntryPointConfig, type EntryPointRole } from '../../src/config/required-variables';
import { migrationSource } from '../../src/db/migration-source';
import { SecretCipher } from '../../src/secrets/secret-cipher';
import { createEmptyTestDatabase } from '../support/system/test-postgres';

const ROOT = path.resolve(__dirname, '../..');
const COMPOSE_TEXT = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
// Anchors and `<<` merges resolved, as Compose reads the file (YAML 1.1 merge keys).
const COMPOSE = parse(COMPOSE_TEXT, { merge: true }) as ComposeFile;
const OUR_IMAGE = 'tidehook:local';

/**
 * The Compose Specification's own JSON schema, as the npm package dclint ships it (`schemas/compose.schema.json`,
 * copied unchanged from compose-spec/compose-spec `schema/compose-spec.json`, Apache-2.0). A devDependency pinned to
 * an exact version, so that a newer schema is a deliberate upgrade.
 */
const COMPOSE_SCHEMA = JSON.parse(
  fs.readFileSync(
    path.join(path.dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json'),
    'utf8',
  ),
) as Record<string, unknown>;

/** Which entry point a Tidehook service's command runs (`node dist/src/<file>`). */
const ENTRY_POINTS: Record<string, EntryPointRole> = {
  'dist/src/api-main.js': 'api',
  'dist/src/worker-main.js': 'worker',
  'dist/src/migrate-main.js': 'migrate',
};

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[];
  environment?: Record<string, string | number | null> | string[];
  ports?: Array<string | Record<string, unknown>>;
  restart?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

function validator() {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
  // The schema names draft-07 by its https address; Ajv knows it by the http one.
  ajv.addMetaSchema({ ...draft7MetaSchema, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(COMPOSE_SCHEMA);
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/**
 * A variable's value as the container will see it, or `undefined` when it may be empty or unset: `${X:?msg}` makes
 * `docker compose` refuse to start without X (set, non-empty), `${X:-default}` falls back to its default, a plain
 * `${X}` may be empty. `sample` stands in for what the operator sets.
 */
function resolveValue(value: string, sample: (name: string) => string): string | undefined {
  let unresolved = false;
  const resolved = value.replace(
    /\$\{([A-Za-z0-9_]+)(?:(:?[-?])([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      if (op === ':?') return sample(name);
      if (op === ':-' && arg) return arg;
      unresolved = true;
      return '';
    },
  );
  return unresolved || resolved === '' ? undefined : resolved;
}

const SAMPLES: Record<string, string> = {
  SECRET_ENCRYPTION_KEY: SecretCipher.generateKey(),
  BOOTSTRAP_TOKEN: 'f'.repeat(64),
};

function tidehookServices(): Array<[string, ComposeService]> {
  return Object.entries(COMPOSE.services).filter(
    ([, service]) => service.image === OUR_IMAGE || service.build !== undefined,
  );
}

function commandOf(service: ComposeService): string[] {
  return Array.isArray(service.command) ? service.command : [service.command ?? ''];
}

describe('docker-compose.yml', function () {
  this.timeout(120_000);

  it('is valid against the Compose Specification JSON schema', () => {
    const validate = validator();
    const valid = validate(COMPOSE);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
    // The validator is live: a condition Compose does not know is refused.
    const broken = structuredClone(COMPOSE);
    broken.services.api!.depends_on!.migrate!.condition = 'service_finished';
    assert.equal(validate(broken), false);
  });

  it('gives every Tidehook service each variable its entry point requires, with values its configuration accepts', () => {
    const checked: string[] = [];
    for (const [name, service] of tidehookServices()) {
      const role = ENTRY_POINTS[commandOf(service)[1] ?? ''];
      if (!role) continue;
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries(environmentOf(service))) {
        const resolved = resolveValue(value, (variable) => SAMPLES[variable] ?? `sample-${variable}`);
        if (resolved !== undefined) env[key] = resolved;
      }
      for (const variable of REQUIRED_VARIABLES[role]) {
        assert.ok(env[variable] !== undefined, `${name} (${role}) gets no ${variable}`);
      }
      // What the entry point itself does with this environment at start: validate it, then check the list.
      loadEntryPointConfig(role, env);
      checked.push(`${name}: ${role}`);
    }
    assert.deepEqual(checked.sort(), ['api: api', 'migrate: migrate', 'worker: worker']);
  });

  it('stops `docker compose up` with a way to generate each secret the operator must provide', () => {
    const required = [...COMPOSE_TEXT.matchAll(/\$\{([A-Z0-9_]+):\?([^}]*)\}/g)].map(([, name, message]) => ({
      name: name!,
      message: message!,
    }));
    assert.deepEqual([...new Set(required.map((r) => r.name))].sort(), ['BOOTSTRAP_TOKEN', 'SECRET_ENCRYPTION_KEY']);
    for (const { name, message } of required) {
      assert.match(message, /generate one with: openssl rand -(base64|hex) 32/, name);
    }
    // The generated key is what the configuration accepts.
    assert.doesNotThrow(() => loadConfig({ SECRET_ENCRYPTION_KEY: SecretCipher.generateKey() }));
  });

  it('runs every Tidehook service from an entry point or the CLI', () => {
    for (const [name, service] of tidehookServices()) {
      const command = commandOf(service).join(' ');
      const known =
        Object.keys(ENTRY_POINTS).some((file) => command.includes(file)) || command.includes('dist/src/cli.js');
      assert.ok(known, `${name} runs ${command}: add its entry point to ENTRY_POINTS and REQUIRED_VARIABLES`);
    }
  });

  it('publishes Temporal, its Web UI and the API on 127.0.0.1 unless the operator opts in', () => {
    const published = Object.entries(COMPOSE.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => [name, String(port)] as const),
    );
    assert.deepEqual(published, [
      ['temporal', '${TEMPORAL_BIND:-127.0.0.1}:7233:7233'],
      ['temporal-ui', '${TEMPORAL_UI_BIND:-127.0.0.1}:8080:8080'],
      ['api', '${API_BIND:-127.0.0.1}:3000:3000'],
    ]);
  });

  it('restarts long-running services, health-checks them, runs one-shots once, and pins every image', () => {
    const services = Object.entries(COMPOSE.services);
    const dependedOnToComplete = new Set(
      services.flatMap(([, service]) =>
        Object.entries(service.depends_on ?? {})
          .filter(([, dependency]) => dependency.condition === 'service_completed_successfully')
          .map(([name]) => name),
      ),
    );
    for (const [name, service] of services) {
      if (dependedOnToComplete.has(name)) {
        assert.equal(service.restart, 'no', `${name} is a one-shot job`);
      } else {
        assert.equal(service.restart, 'unless-stopped', name);
      }
      if (service.image !== OUR_IMAGE) {
        assert.match(
          service.image ?? '',
          /^[a-z0-9/._-]+:\d+\.\d+[\w.-]*$/,
          `${name}: pin a version, not a floating tag`,
        );
      }
    }
    for (const name of ['postgres', 'temporal', 'api', 'worker']) {
      assert.ok(COMPOSE.services[name]?.healthcheck, `${name} has a health check`);
    }
    assert.deepEqual(COMPOSE.services.api!.healthcheck!.test.slice(-1), ['http://127.0.0.1:3000/healthz']);
    assert.deepEqual(COMPOSE.services.worker!.healthcheck!.test.slice(-1), [
      `http://127.0.0.1:${environmentOf(COMPOSE.services.worker!).METRICS_PORT}/healthz`,
    ]);
    for (const name of ['api', 'worker']) {
      assert.deepEqual(COMPOSE.services[name]!.depends_on!.migrate, { condition: 'service_completed_successfully' });
    }
  });

  describe('the image the Dockerfile builds', () => {
    const outDir = path.join(ROOT, '.test-data', `compose-build-${process.pid}`);
    let databaseUrl: string;
    let dropDatabase: () => Promise<void>;

    before(async function () {
      this.timeout(120_000);
      // The Dockerfile's build step, `npm run build` (tsc -p tsconfig.build.json), into a folder of this run's own.
      await run(process.execPath, [
        require.resolve('typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        outDir,
        '--declaration',
        'false',
        '--sourceMap',
        'false',
      ]);
      const database = await createEmptyTestDatabase();
      databaseUrl = database.url;
      dropDatabase = database.drop;
    });

    after(async () => {
      fs.rmSync(outDir, { recursive: true, force: true });
      await dropDatabase?.();
    });

    it('builds from the folders it copies every file the compose commands and health checks run', () => {
      const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
      assert.match(dockerfile, /RUN npm run build/);
      const build = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
        include: string[];
      };
      for (const folder of build.include.filter((dir) => fs.existsSync(path.join(ROOT, dir)))) {
        assert.match(dockerfile, new RegExp(`^COPY ${folder} \\./${folder}$`, 'm'), `the Dockerfile copies ${folder}/`);
      }
      const files = COMPOSE_TEXT.match(/dist\/src\/[\w-]+\.js/g) ?? [];
      assert.ok(files.length >= 5);
      for (const file of new Set(files)) {
        assert.ok(fs.existsSync(path.join(outDir, file.replace(/^dist\//, ''))), `the build has no ${file}`);
      }
    });

    it('migrates an empty database with the built migrate entry point, then finds it up to date', async () => {
      const migrate = path.join(outDir, 'src/migrate-main.js');
      const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' };
      const names = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
      const first = await run(process.execPath, [migrate], env);
      assert.ok(
        first.output.includes(`"applied":${JSON.stringify(names)},"msg":"applied ${names.length} migrations"`),
        first.output,
      );
      const second = await run(process.execPath, [migrate], env);
      assert.match(second.output, /"applied":\[\],"msg":"schema already up to date"/);
      const missing = await run(process.execPath, [migrate], { DATABASE_URL: '' }, 1);
      assert.match(missing.output, /DATABASE_URL: required by this entry point/);
    });

    it('answers health checks with the built health check: 0 for a 2xx, 1 for a 503 or nothing listening', async () => {
      const server = http.createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 503).end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const check = path.join(outDir, 'src/healthcheck-main.js');
      try {
        await run(process.execPath, [check, `${base}/healthz`], {}, 0);
        await run(process.execPath, [check, `${base}/down`], {}, 1);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await run(process.execPath, [check, base.replace(/:\d+$/, ':9')], {}, 1);
    });
  });
});

/** Runs a command to its end (60 s at most) and checks its exit code. */
async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  expectedCode = 0,
): Promise<{ output: string }> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  assert.equal(code, expectedCode, `${path.basename(args[0] ?? command)} exited ${code}:\n${output}`);
  return { output };
}
