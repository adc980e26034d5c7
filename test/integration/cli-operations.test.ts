import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/run-cli';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { waitFor } from '../support/system/wait-until';
import { useTestSystem } from '../support/system/use-test-system';

describe('CLI: show, cancel, replay, bulk-replay, register-search-attributes (dev server)', function () {
  this.timeout(120_000);
  const ctx = useTestSystem({ temporal: 'dev-server', receiver: true });

  async function cli(argv: string[], env: NodeJS.ProcessEnv) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
    const fields = Object.fromEntries(out.map((line) => [line.split(' ')[0], line.slice(line.indexOf(' ') + 1)]));
    return { code, out, err: err.join('\n'), fields };
  }

  it('drives a delivery from find to cancel to replay, and a bulk recovery to its end', async () => {
    const tenant = await createTenant(ctx.system.database.db);
    const env = { TIDEHOOK_API_URL: ctx.system.baseUrl, TIDEHOOK_TOKEN: tenant.token };
    const webhook = await createWebhookRow(ctx.system.database.db, { ...tenant, url: ctx.receiver.url });
    ctx.receiver.answer = () => ({ status: 500 });
    const triggered = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event: 'message.delivered', data: {} },
    });
    const deliveryId = triggered.body.data.deliveries[0].id;
    await waitFor(
      async () => (await ctx.system.database.db('deliveries').where({ id: deliveryId }).first()).attempts_count === 1,
    );

    const shown = await cli(['show', '--delivery', deliveryId], env);
    assert.equal(shown.code, 0, shown.err);
    assert.equal(shown.fields.status, 'pending');
    assert.match(shown.out.join('\n'), /^attempt 1 server_error 500 /m);

    const cancelled = await cli(['cancel', '--delivery', deliveryId], env);
    assert.equal(cancelled.code, 0, cancelled.err);
    assert.equal(cancelled.fields.status, 'cancelled');

    ctx.receiver.answer = () => ({ status: 200 });
    const replayed = await cli(['replay', '--delivery', deliveryId], env);
    assert.equal(replayed.code, 0, replayed.err);
    assert.notEqual(replayed.fields.delivery_id, deliveryId);
    await ctx.system.client.workflow.getHandle(replayed.fields.workflow_id!).result();

    const window = [
      '--from',
      new Date(Date.now() - 3_600_000).toISOString(),
      '--to',
      new Date(Date.now() + 60_000).toISOString(),
    ];
    const notReplayedYet = await cli(
      ['bulk-replay', '--webhook', webhook.id, ...window, '--status', 'cancelled', '--dry-run'],
      env,
    );
    assert.equal(notReplayedYet.code, 0, notReplayedYet.err);
    assert.equal(notReplayedYet.fields.count, '0', 'the cancelled delivery already has a successful replay');

    const missing = await cli(['bulk-replay', '--webhook', webhook.id, '--from', 'yesterday', '--to', 'today'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /422/);

    await ctx.system.database.db('deliveries').where({ id: deliveryId }).update({ status: 'failed' });
    await ctx.system.database.db('deliveries').where({ replay_of: deliveryId }).update({ status: 'failed' });
    const bulk = await cli(['bulk-replay', '--webhook', webhook.id, ...window, '--rate', '5'], env);
    assert.equal(bulk.code, 0, bulk.err);
    assert.equal(bulk.fields.status, 'completed');
    assert.equal(bulk.fields.replayed, '2');

    const unauthorised = await cli(['show', '--delivery', deliveryId], {
      TIDEHOOK_API_URL: ctx.system.baseUrl,
      TIDEHOOK_TOKEN: 'th_nope',
    });
    assert.equal(unauthorised.code, 1);
    assert.match(unauthorised.err, /401/);
  });

  it('registers the search attributes on a Temporal cluster, idempotently', async () => {
    const result = await cli(['register-search-attributes'], { TEMPORAL_ADDRESS: ctx.system.temporalAddress });
    assert.equal(result.code, 0, result.err);
    assert.deepEqual(result.out.map((line) => line.split(' ')[0]).sort(), [
      'DeliveryStatus',
      'EventType',
      'ProjectId',
      'RouteId',
      'WebhookId',
    ]);
  });
});
