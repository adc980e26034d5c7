import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../src/cli/run-cli';
import { useTestSystem } from '../support/system/use-test-system';

const ROOT = path.resolve(__dirname, '../..');

/** Runs one CLI command in process and answers its exit code and what it printed. */
async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  const values = Object.fromEntries(out.map((line) => line.split(' ', 2) as [string, string]));
  return { code, out, err: err.join('\n'), values };
}

describe('command-line interface (npm run cli)', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping' });

  let env: NodeJS.ProcessEnv;

  before(async () => {
    env = { DATABASE_URL: ctx.system.database.url };
  });

  it('create-team creates a team and prints a full-rights token that works on the API', async () => {
    const result = await cli(['create-team', '--name', 'Acme Mail'], env);
    assert.equal(result.code, 0, result.err);
    assert.match(result.values.team_id!, /^[0-9a-f-]{36}$/);
    assert.match(result.values.token!, /^th_[A-Za-z0-9_-]{43}$/);
    assert.match(result.err, /shown again|never shown/);
    const team = await ctx.system.database.db('teams').where({ id: result.values.team_id }).first();
    assert.equal(team.name, 'Acme Mail');

    const token = result.values.token!;
    const project = await ctx.system.api('POST', '/v1/projects', { token, body: { name: 'From the CLI' } });
    assert.equal(project.status, 201);
    const route = await ctx.system.api('POST', `/v1/projects/${project.body.data.id}/routes`, {
      token,
      body: { name: 'Out', route_type: 'transactional' },
    });
    const event = await ctx.system.api('POST', '/v1/events', {
      token,
      body: { route_id: route.body.data.id, event: 'message.sent', data: {} },
    });
    assert.equal(event.status, 202, 'full rights include posting events');
  });

  it('create-token makes a trigger token that may only post events, and a manage token that may do everything', async () => {
    const team = await cli(['create-team', '--name', 'Scoped'], env);
    const teamId = team.values.team_id!;
    const project = await ctx.system.api('POST', '/v1/projects', { token: team.values.token, body: { name: 'P' } });
    const route = await ctx.system.api('POST', `/v1/projects/${project.body.data.id}/routes`, {
      token: team.values.token,
      body: { name: 'R', route_type: 'broadcast' },
    });

    const trigger = await cli(
      ['create-token', '--team', teamId, '--scope', 'trigger', '--name', 'mailer service'],
      env,
    );
    assert.equal(trigger.code, 0, trigger.err);
    const triggerToken = trigger.values.token!;
    assert.equal((await ctx.system.api('GET', '/v1/projects', { token: triggerToken })).status, 403);
    const event = await ctx.system.api('POST', '/v1/events', {
      token: triggerToken,
      body: { route_id: route.body.data.id, event: 'message.sent', data: {} },
    });
    assert.equal(event.status, 202);

    const manage = await cli(['create-token', '--team', teamId, '--scope', 'manage', '--name', 'ops'], env);
    assert.equal(manage.code, 0, manage.err);
    const listed = await ctx.system.api('GET', '/v1/projects', { token: manage.values.token });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.data.map((p: { id: string }) => p.id),
      [project.body.data.id],
      'the token belongs to that team',
    );

    const stored = await ctx.system.database
      .db('api_tokens')
      .where({ team_id: teamId, name: 'mailer service' })
      .first();
    assert.deepEqual(stored.scopes, ['trigger']);
    assert.notEqual(stored.token_hash, triggerToken, 'only the hash is stored');
  });

  it("list-tokens lists a team's tokens without their values, and revoke-token ends one at once", async () => {
    const team = await cli(['create-team', '--name', 'Listed'], env);
    const teamId = team.values.team_id!;
    const extra = await cli(['create-token', '--team', teamId, '--scope', 'trigger', '--name', 'mailer'], env);
    const listed = await cli(['list-tokens', '--team', teamId], env);
    assert.equal(listed.code, 0, listed.err);
    assert.equal(listed.out[0], 'id\tname\tscopes\tcreated_at\tlast_used_at\trevoked_at');
    const rows = listed.out.slice(1).map((line) => line.split('\t'));
    assert.deepEqual(
      rows.map((r) => [r[1], r[2], r[5]]),
      [
        ['created with create-team', 'manage,trigger', '-'],
        ['mailer', 'trigger', '-'],
      ],
    );
    assert.ok(!listed.out.join('\n').includes(extra.values.token!), 'no token value is printed');

    const mailerId = rows[1]![0]!;
    assert.equal((await ctx.system.api('POST', '/v1/events', { token: extra.values.token, body: {} })).status, 422);
    const revoked = await cli(['revoke-token', '--id', mailerId], env);
    assert.equal(revoked.code, 0, revoked.err);
    assert.match(revoked.err, /"mailer" is revoked/);
    assert.equal((await ctx.system.api('POST', '/v1/events', { token: extra.values.token, body: {} })).status, 401);
    const after = await cli(['list-tokens', '--team', teamId], env);
    assert.notEqual(after.out[2]!.split('\t')[5], '-', 'listed with its revocation time');
    // The CLI may revoke the last manage token too: whoever runs it can make another.
    const last = await cli(['revoke-token', '--id', rows[0]![0]!], env);
    assert.equal(last.code, 0, last.err);
    assert.equal((await ctx.system.api('GET', '/v1/projects', { token: team.values.token })).status, 401);
  });

  it('answers exit code 2 with the usage for bad commands and flags', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /Usage: npm run cli -- <command>/],
      [['launch-rockets'], /Unknown command "launch-rockets"/],
      [['create-team'], /--name is required/],
      [['create-team', '--name', '   '], /--name is required/],
      [['create-team', '--name', 'x', '--colour', 'red'], /Unknown option '--colour'/],
      [
        ['create-token', '--team', randomUUID(), '--scope', 'admin', '--name', 'x'],
        /--scope must be one of: manage, trigger/,
      ],
      [['create-token', '--team', 'acme', '--scope', 'manage', '--name', 'x'], /--team must be a team id/],
      [['create-token', '--team', randomUUID(), '--scope', 'manage'], /--name is required/],
      [['create-token', '--team', randomUUID(), '--scope', 'manage', '--name', 'x'], /there is no team with id/],
      [['list-tokens'], /--team is required/],
      [['revoke-token', '--id', 'abc'], /--id must be a token id/],
      [['revoke-token', '--id', randomUUID()], /there is no token with id/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(argv, env);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.err, message, argv.join(' '));
      assert.deepEqual(result.out, [], 'nothing on stdout');
    }
  });

  it('fails with a clear message when DATABASE_URL is not set', async () => {
    const result = await cli(['create-team', '--name', 'x'], {});
    assert.equal(result.code, 1);
    assert.match(result.err, /^DATABASE_URL is not set/);
  });

  it('runs through the real entry point and migrates an empty database first', async () => {
    const schema = `cli_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await ctx.system.database.db.raw('CREATE SCHEMA ??', [schema]);
    // The connection's search_path points at the empty schema: migrations must create everything there.
    const url = new URL(ctx.system.database.url);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const { stdout, stderr } = await promisify(execFile)(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'create-team', '--name', 'Fresh'],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url.toString() },
      },
    );
    assert.match(stdout, /^team_id [0-9a-f-]{36}\ntoken th_\S+\n$/);
    assert.match(stderr, /Team "Fresh" created/);
    const teams = await ctx.system.database.db.withSchema(schema).table('teams').select('name');
    assert.deepEqual(teams, [{ name: 'Fresh' }]);
  });
});
