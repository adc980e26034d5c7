import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDatabase, migrateToLatest, type Database } from '../../../src/db/create-database';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../../src/embedded/start-embedded-postgres';
import { trackResource } from './open-resources';

const TEMPLATE = 'tidehook_test_template';

let server: EmbeddedPostgresHandle | undefined;
let serverDir: string | undefined;
let adminUrl: string | undefined;
let templateReady: Promise<void> | undefined;

/**
 * The suite's Postgres: `TEST_DATABASE_URL` / `DATABASE_URL` when set, else one embedded server for the whole run
 * in a throwaway folder. Every test file gets its own database cloned from a migrated template (fast, isolated).
 */
async function serverUrl(): Promise<string> {
  if (adminUrl) return adminUrl;
  const external = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (external) {
    adminUrl = external;
    return adminUrl;
  }
  serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-test-pg-'));
  fs.chmodSync(serverDir, 0o777);
  server = await startEmbeddedPostgres({ dataDir: serverDir, preferredPort: 0, databaseName: 'postgres' });
  adminUrl = server.connectionString;
  return adminUrl;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(await serverUrl(), 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function ensureTemplate(): Promise<void> {
  templateReady ??= (async () => {
    await admin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
      await client.query(`CREATE DATABASE ${TEMPLATE}`);
    });
    const db = createDatabase(withDatabase(await serverUrl(), TEMPLATE), { poolMax: 1 });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
  })();
  return templateReady;
}

export interface TestDatabase {
  db: Database;
  url: string;
  /** Destroys the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  await ensureTemplate();
  const name = `tidehook_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`));
  const url = withDatabase(await serverUrl(), name);
  const db = createDatabase(url);
  const database: TestDatabase = {
    db,
    url,
    drop: async () => {
      await db.destroy();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      untrack();
    },
  };
  const untrack = trackResource(database, `test database ${name} (its connection pool)`);
  return database;
}

/** A database of its own with nothing in it, not even the schema: what a first start meets. No pool is opened. */
export async function createEmptyTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tidehook_empty_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(await serverUrl(), name),
    drop: async () => {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * Fault injection: stops the run's embedded Postgres (a fast shutdown that cuts every connection), runs
 * `whileDown`, and starts it again on the same data folder and port, so every URL handed out stays valid. Only
 * for the embedded server: throws when the run uses an external one (tests check that first and skip).
 */
export async function restartTestPostgres(whileDown: () => Promise<void>): Promise<void> {
  if (!server || !serverDir || !adminUrl)
    throw new Error('no embedded test Postgres to restart (external server, or none started yet)');
  const port = Number(new URL(adminUrl).port);
  const dataDir = serverDir;
  await server.stop();
  server = undefined;
  try {
    await whileDown();
  } finally {
    server = await startEmbeddedPostgres({ dataDir, preferredPort: port, databaseName: 'postgres' });
  }
  if (server.connectionString !== adminUrl) {
    throw new Error(
      `test Postgres came back as ${server.connectionString}, not ${adminUrl}: port ${port} was taken meanwhile`,
    );
  }
}

/** Called once at the end of the run by the root hooks. */
export async function stopTestPostgres(): Promise<void> {
  if (server) await server.stop();
  if (serverDir) fs.rmSync(serverDir, { recursive: true, force: true });
  server = undefined;
  adminUrl = undefined;
  templateReady = undefined;
}
