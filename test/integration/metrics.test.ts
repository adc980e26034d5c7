import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { DeliveryStateGauges } from '../../src/metrics/delivery-state-gauges';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { startTestSystem, type TestSystem } from '../support/system/test-system';
import { useTestSystem } from '../support/system/use-test-system';
import { waitUntil } from '../support/system/wait-until';

/** Reads one sample from Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('GET /metrics', function () {
  this.timeout(120_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true });

  it('moves attempt counters, durations, event-to-success times, delivery states and consecutive failures as deliveries happen', async () => {
    const scrape = () => ctx.system.scrapeMetrics();
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
    assert.equal(sample(after, 'tidehook_failing_webhooks'), 1, 'a success resets the count');
    assert.equal(sample(after, 'tidehook_webhook_consecutive_failures_max'), 1);
    assert.ok(!after.includes(broken.id) && !after.includes('webhook_id'), 'no webhook id by default');

    // With METRICS_WEBHOOK_LABELS, the worst webhooks by id.
    const labelled = new Registry();
    await new DeliveryStateGauges(labelled, ctx.system.stores.deliveryState, { webhookLabels: true }).refresh();
    const text = await labelled.metrics();
    assert.equal(sample(text, 'tidehook_webhook_consecutive_failures', `webhook_id="${broken.id}"`), 1);
    assert.equal(
      sample(text, 'tidehook_webhook_consecutive_failures', `webhook_id="${flaky.id}"`),
      0,
      'a success resets the count',
    );
  });
});

describe('GET /metrics: the lanes (ADR 6)', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let receiver: TestReceiver;

  before(async () => {
    system = await startTestSystem({
      temporal: 'time-skipping',
      lanes: { fastSlots: 7, queuedSlots: { standard: 5, slow: 3 }, slowAfterMs: 300 },
      poster: { timeoutMs: 1_000 },
    });
    receiver = await startTestReceiver();
  });

  after(async () => {
    await receiver?.close();
    await system?.close();
  });

  it('shows each lane with its configured capacity, what is in flight, the deferrals and the slow origins', async () => {
    const scrape = () => system.scrapeMetrics();
    const lane = (text: string, name: string, value: string) =>
      sample(text, `tidehook_lane_${name}`, `lane="${value}"`);
    const idle = await scrape();
    assert.deepEqual(
      ['fast', 'standard', 'slow'].map((l) => [lane(idle, 'capacity', l), lane(idle, 'in_flight', l)]),
      [
        [7, 0],
        [5, 0],
        [3, 0],
      ],
    );
    assert.equal(sample(idle, 'tidehook_slow_origins'), 0);

    receiver.answer = () => 'hang';
    const tenant = await createTenant(system.database.db);
    await createWebhookRow(system.database.db, { ...tenant, url: receiver.url, events: ['message.sent'] });
    const trigger = () =>
      system.api('POST', '/v1/events', {
        token: tenant.token,
        body: { route_id: tenant.routeId, event: 'message.sent', data: {} },
      });
    await trigger();
    await receiver.waitForRequests(1);
    assert.equal(lane(await scrape(), 'in_flight', 'fast'), 1, 'the first attempt hangs in the fast lane');

    // It times out after 1 s: its origin is slow now, and the next attempt to it goes to the slow lane.
    await waitUntil(async () => sample(await scrape(), 'tidehook_slow_origins') === 1, 'a slow origin', 10_000);
    await trigger();
    await receiver.waitForRequests(2);
    const busy = await scrape();
    assert.equal(sample(busy, 'tidehook_slow_origins'), 1);
    assert.equal(sample(busy, 'tidehook_lane_deferrals_total', 'reason="slow_origin",to="slow"'), 1);
    assert.equal(lane(busy, 'in_flight', 'slow'), 1);
    assert.equal(lane(busy, 'in_flight', 'fast'), 0);
    assert.equal(lane(busy, 'capacity', 'slow'), 3);
  });
});
