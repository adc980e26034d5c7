import assert from 'node:assert/strict';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { useTestSystem } from '../support/system/use-test-system';

/** Reads one sample from Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('GET /metrics', function () {
  this.timeout(120_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true });

  it('moves attempt counters, durations, event-to-success times, delivery states and consecutive failures as deliveries happen', async () => {
    const scrape = async () => (await ctx.system.api('GET', '/metrics')).body as string;
    const before = await scrape();
    const tenant = await createTenant(ctx.system.database.db);
    const flaky = await createWebhookRow(ctx.system.database.db, {
      ...tenant,
      url: `${ctx.receiver.url}/flaky`,
      events: ['message.sent'],
    });
    const broken = await createWebhookRow(ctx.system.database.db, {
      ...tenant,
      url: `${ctx.receiver.url}/broken`,
      events: ['message.failed'],
    });
    let flakyCalls = 0;
    ctx.receiver.answer = (request) => {
      if (request.path.endsWith('/broken')) return { status: 503 };
      return ++flakyCalls === 1 ? { status: 500 } : { status: 200 };
    };

    const sent = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event: 'message.sent', data: {} },
    });
    await ctx.system.client.workflow.getHandle(sent.body.data.deliveries[0].workflow_id).result();
    const failing = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event: 'message.failed', data: {} },
    });
    const brokenDelivery = failing.body.data.deliveries[0];
    const waitForFirstAttempt = async () => {
      for (let i = 0; i < 100; i++) {
        if ((await ctx.system.database.db('deliveries').where({ id: brokenDelivery.id }).first()).attempts_count >= 1)
          return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no attempt recorded');
    };
    await waitForFirstAttempt();

    const after = await scrape();
    assert.equal(
      sample(after, 'tidehook_attempts_total', 'status="success"') -
        sample(before, 'tidehook_attempts_total', 'status="success"'),
      1,
    );
    assert.equal(
      sample(after, 'tidehook_attempts_total', 'status="server_error"') -
        sample(before, 'tidehook_attempts_total', 'status="server_error"'),
      2,
    );
    assert.equal(sample(after, 'tidehook_attempt_duration_seconds_count', 'status="server_error"'), 2);
    assert.equal(sample(after, 'tidehook_event_to_success_seconds_count'), 1);
    // Activities measure wall-clock time (the time-skipping server's minute passes only for the workflow).
    assert.ok(sample(after, 'tidehook_event_to_success_seconds_sum') > 0);
    assert.equal(sample(after, 'tidehook_deliveries', 'status="success"'), 1);
    assert.equal(sample(after, 'tidehook_deliveries', 'status="pending"'), 1);
    assert.equal(sample(after, 'tidehook_webhook_consecutive_failures', `webhook_id="${broken.id}"`), 1);
    assert.equal(
      sample(after, 'tidehook_webhook_consecutive_failures', `webhook_id="${flaky.id}"`),
      0,
      'a success resets the count',
    );
  });
});
