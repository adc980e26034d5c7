import assert from 'node:assert/strict';
import { migrationSource } from '../../src/db/migration-source';
import { createDatabase, migrateToLatest, type Database } from '../../src/db/create-database';
import { createStores } from '../../src/store/create-stores';
import { DEFAULT_TEAM_NAME } from '../../src/store/team-store';
import { createEmptyTestDatabase } from '../support/system/test-postgres';

const PROCESSES = 6;
const ROUNDS = 5;
const BOOTSTRAP_TOKEN = 'th_concurrent-first-start-bootstrap-token';

/** What N processes starting at once on a fresh database do before serving: each its own pool, as in real life. */
async function startTogether<T>(url: string, step: (db: Database) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const pools = Array.from({ length: PROCESSES }, () => createDatabase(url, { poolMax: 2 }));
  try {
    return await Promise.allSettled(pools.map((db) => step(db)));
  } finally {
    await Promise.all(pools.map((db) => db.destroy()));
  }
}

function failures(results: PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
}

describe('concurrent first start', function () {
  this.timeout(120_000);

  it(`migrates a fresh database from ${PROCESSES} processes at once, ${ROUNDS} rounds, without a failure`, async () => {
    const failed: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const database = await createEmptyTestDatabase();
      try {
        failed.push(...failures(await startTogether(database.url, migrateToLatest)));
        const db = createDatabase(database.url, { poolMax: 1 });
        try {
          const applied = await db('knex_migrations').count<{ count: string }[]>('* as count');
          const expected = (await migrationSource.getMigrations([])).length;
          if (Number(applied[0]!.count) !== expected) {
            failed.push(`round ${round}: ${applied[0]!.count} migrations recorded, not ${expected}`);
          }
        } finally {
          await db.destroy();
        }
      } finally {
        await database.drop();
      }
    }
    console.log(`      ${PROCESSES * ROUNDS} concurrent first-start migrations, ${failed.length} failed`);
    assert.deepEqual(failed, []);
  });

  it(`creates the BOOTSTRAP_TOKEN team and token once when ${PROCESSES} API processes start together, ${ROUNDS} rounds`, async () => {
    const failed: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const database = await createEmptyTestDatabase();
      const db = createDatabase(database.url, { poolMax: 1 });
      try {
        await migrateToLatest(db);
        const results = await startTogether(database.url, (pool) =>
          createStores(pool).teams.ensureBootstrapToken(BOOTSTRAP_TOKEN),
        );
        failed.push(...failures(results));
        const teams = (await db('teams').where({ name: DEFAULT_TEAM_NAME })).length;
        const tokens = (await db('api_tokens')).length;
        if (teams !== 1 || tokens !== 1) failed.push(`round ${round}: ${teams} default teams, ${tokens} tokens`);
        // A restart finds the token again rather than adding another.
        const again = await createStores(db).teams.ensureBootstrapToken(BOOTSTRAP_TOKEN);
        const first = results.find((r) => r.status === 'fulfilled');
        if (first && again?.tokenId !== first.value?.tokenId) failed.push(`round ${round}: a restart made a new token`);
      } finally {
        await db.destroy();
        await database.drop();
      }
    }
    console.log(`      ${PROCESSES * ROUNDS} concurrent bootstraps, problems: ${failed.length}`);
    assert.deepEqual(failed, []);
  });
});
