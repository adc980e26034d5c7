import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDatabase } from '../../src/db/create-database';
import { createStores } from '../../src/store/create-stores';
import { BOOTSTRAP_TOKEN_NAME, DEFAULT_TEAM_NAME, TeamStore } from '../../src/store/team-store';
import { hashApiToken } from '../../src/tenancy/api-token';
import { createTenant } from '../support/system/fixtures';
import { serveApp } from '../support/system/serve-app';
import { TEST_SECRET_CIPHER } from '../support/system/test-secret-cipher';
import { useTestSystem } from '../support/system/use-test-system';
import { waitUntil } from '../support/system/wait-until';

/** Audit 10: tokens are listed, created and revoked, their use is noted, and BOOTSTRAP_TOKEN rotates safely. */
describe('API token lifecycle', function () {
  this.timeout(60_000);

  const ctx = useTestSystem({ temporal: 'time-skipping', tenant: true });

  const as = (token: string, method: string, path: string, body?: unknown, baseUrl = ctx.system.baseUrl) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('creates a token over the API, shown once, and lists tokens without their values or hashes', async () => {
    const created = await as(ctx.tenant.token, 'POST', '/v1/tokens', { name: 'billing service', scopes: ['trigger'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.data.token, /^th_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(created.body.data.scopes, ['trigger']);
    assert.equal(created.body.data.revoked_at, null);
    assert.equal(created.body.data.last_used_at, null);
    const manage = await as(ctx.tenant.token, 'POST', '/v1/tokens', { name: 'ops', scopes: ['manage'] });
    assert.deepEqual(manage.body.data.scopes, ['manage', 'trigger'], 'manage includes trigger');

    const listed = await as(ctx.tenant.token, 'GET', '/v1/tokens?sort=created_at');
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.data.map((t: { name: string }) => t.name),
      ['test', 'billing service', 'ops'],
    );
    const text = JSON.stringify(listed.body);
    assert.ok(!text.includes(created.body.data.token) && !text.includes(hashApiToken(created.body.data.token)));
    assert.deepEqual(Object.keys(listed.body.data[0]).sort(), [
      'created_at',
      'id',
      'last_used_at',
      'name',
      'revoked_at',
      'scopes',
    ]);
    assert.equal((await as(created.body.data.token, 'GET', '/v1/tokens')).status, 403, 'a trigger token lists nothing');
    const invalid = await as(ctx.tenant.token, 'POST', '/v1/tokens', { name: 'x', scopes: ['admin'] });
    assert.equal(invalid.status, 422);
    assert.deepEqual(Object.keys(invalid.body.errors), ['scopes.0']);
  });

  it('refuses a revoked token at once on another API process, and ends its dashboard sessions', async () => {
    // A second API over a pool of its own: nothing in memory is shared with the first.
    const otherDb = createDatabase(ctx.system.database.url, { poolMax: 2 });
    const other = await serveApp({ ...ctx.system.deps, stores: createStores(otherDb, TEST_SECRET_CIPHER) });
    try {
      const made = await as(ctx.tenant.token, 'POST', '/v1/tokens', { name: 'leaked', scopes: ['manage'] });
      const leaked: string = made.body.data.token;
      assert.equal((await as(leaked, 'GET', '/v1/projects', undefined, other.baseUrl)).status, 200);
      const { sessionId } = await ctx.system.stores.dashboardSessions.create(made.body.data.id);
      assert.ok(await ctx.system.stores.dashboardSessions.findPrincipal(sessionId));

      const revoked = await as(ctx.tenant.token, 'DELETE', `/v1/tokens/${made.body.data.id}`);
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.ok(revoked.body.data.revoked_at);
      const refused = await as(leaked, 'GET', '/v1/projects', undefined, other.baseUrl);
      assert.equal(refused.status, 401, 'the very next request on the other process is refused');
      assert.equal((await as(leaked, 'GET', '/v1/projects')).status, 401);
      assert.equal(await ctx.system.stores.dashboardSessions.findPrincipal(sessionId), undefined);
      assert.equal(
        (await as(ctx.tenant.token, 'DELETE', `/v1/tokens/${made.body.data.id}`)).status,
        200,
        'again: no-op',
      );
    } finally {
      await other.close();
      await otherDb.destroy();
    }
  });

  it("lets a token revoke itself, but never the team's last live manage token, nor another team's", async () => {
    const team = await createTenant(ctx.system.database.db);
    const first = (await ctx.system.stores.teams.authenticate(team.token))!;
    const last = await as(team.token, 'DELETE', `/v1/tokens/${first.tokenId}`);
    assert.equal(last.status, 409);
    assert.match(last.body.message, /last live manage token/);

    const second = await as(team.token, 'POST', '/v1/tokens', { name: 'second', scopes: ['manage'] });
    const self = await as(team.token, 'DELETE', `/v1/tokens/${first.tokenId}`);
    assert.equal(self.status, 200, 'a token may revoke itself while another manage token lives');
    assert.equal((await as(team.token, 'GET', '/v1/projects')).status, 401);
    const alone = await as(second.body.data.token, 'DELETE', `/v1/tokens/${second.body.data.id}`);
    assert.equal(alone.status, 409, 'the second is now the last');

    // An id no token has (changing the first's last digit to '0' was that same id whenever it already ended in 0).
    const foreign = await as(second.body.data.token, 'DELETE', `/v1/tokens/${randomUUID()}`);
    assert.equal(foreign.status, 404);
    const tenantsToken = (await ctx.system.stores.teams.authenticate(ctx.tenant.token))!.tokenId;
    const other = await as(second.body.data.token, 'DELETE', `/v1/tokens/${tenantsToken}`);
    assert.equal(other.status, 404);
    assert.deepEqual(other.body, { message: 'Token not found.' });
  });

  it('keeps last_used_at to the minute, written at most once a minute per token, never failing a request', async () => {
    const made = await as(ctx.tenant.token, 'POST', '/v1/tokens', { name: 'used', scopes: ['manage'] });
    const id: string = made.body.data.id;
    const lastUsed = async () => (await ctx.system.database.db('api_tokens').where({ id }).first()).last_used_at;
    assert.equal(await lastUsed(), null);
    await as(made.body.data.token, 'GET', '/v1/projects');
    await waitUntil(async () => (await lastUsed()) !== null, 'last_used_at written', 5_000);
    const first = (await lastUsed()).getTime();
    for (let i = 0; i < 5; i++) await as(made.body.data.token, 'GET', '/v1/projects');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await lastUsed()).getTime(), first, 'uses within the minute write nothing');

    await ctx.system.database
      .db('api_tokens')
      .where({ id })
      .update({ last_used_at: new Date(Date.now() - 120_000) });
    await as(made.body.data.token, 'GET', '/v1/projects');
    await waitUntil(async () => (await lastUsed()).getTime() >= first, 'last_used_at moved on', 5_000);
    const listed = await as(ctx.tenant.token, 'GET', '/v1/tokens?page[size]=100');
    assert.ok(listed.body.data.find((t: { id: string }) => t.id === id).last_used_at);
  });

  it('rotates BOOTSTRAP_TOKEN: a new value revokes the old one, an old value never revokes a newer one', async () => {
    const bootstrapTokens = () =>
      ctx.system.database
        .db('api_tokens as t')
        .join('teams', 'teams.id', 't.team_id')
        .where({ 'teams.name': DEFAULT_TEAM_NAME, 't.name': BOOTSTRAP_TOKEN_NAME })
        .orderBy('t.created_at')
        .select('t.token_hash', 't.revoked_at');
    const teams = ctx.system.stores.teams;
    const leaked = 'th_bootstrap-value-that-leaked-000';
    const next = 'th_bootstrap-value-that-replaced-it';
    assert.ok(await teams.ensureBootstrapToken(leaked));
    assert.ok(await teams.authenticate(leaked));

    // Two processes restarted with the new value at once, each with a pool of its own.
    const pools = [0, 1, 2].map(() => createDatabase(ctx.system.database.url, { poolMax: 2 }));
    try {
      const results = await Promise.all(pools.map((db) => new TeamStore(db).ensureBootstrapToken(next)));
      assert.equal(new Set(results.map((r) => r?.tokenId)).size, 1, 'one new token, whoever made it');
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
    }
    assert.equal(await teams.authenticate(leaked), undefined, 'the leaked value is refused');
    assert.ok(await teams.authenticate(next));

    // A process still started with the old value (a rolling restart) neither revives it nor revokes the new one.
    assert.equal(await teams.ensureBootstrapToken(leaked), undefined);
    assert.ok(await teams.authenticate(next));
    assert.equal(await teams.authenticate(leaked), undefined);
    const rows = await bootstrapTokens();
    assert.deepEqual(
      rows.map((r: { token_hash: string; revoked_at: Date | null }) => [r.token_hash, r.revoked_at !== null]),
      [
        [hashApiToken(leaked), true],
        [hashApiToken(next), false],
      ],
    );
  });
});
