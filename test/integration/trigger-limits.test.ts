import assert from 'node:assert/strict';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { startTestSystem, type TestSystem } from '../support/system/test-system';

const MAX_PER_REQUEST = 5;
/** One delivery every 2 s: slow enough that nothing refills between two requests on a busy machine. */
const PER_MINUTE = 30;
const BURST = 5;

describe('limits on triggered deliveries: per request (422) and per team (429)', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let receiver: TestReceiver;

  before(async () => {
    system = await startTestSystem({
      temporal: 'time-skipping',
      triggers: {
        maxDeliveriesPerRequest: MAX_PER_REQUEST,
        teamDeliveriesPerMinute: PER_MINUTE,
        teamDeliveryBurst: BURST,
      },
    });
    receiver = await startTestReceiver();
  });

  after(async () => {
    await receiver?.close();
    await system?.close();
  });

  async function tenantWithWebhooks(count: number) {
    const tenant = await createTenant(system.database.db);
    for (let i = 0; i < count; i++) {
      await createWebhookRow(system.database.db, { ...tenant, url: `${receiver.url}/${i}`, events: ['message.sent'] });
    }
    return tenant;
  }

  async function written(routeId: string) {
    const db = system.database.db;
    const [events] = await db('events').where({ route_id: routeId }).count({ n: '*' });
    const [deliveries] = await db('deliveries').where({ route_id: routeId }).count({ n: '*' });
    return { events: Number(events!.n), deliveries: Number(deliveries!.n) };
  }

  const event = (routeId: string) => ({ route_id: routeId, event: 'message.sent', data: {} });

  it('answers 422 naming the limit when one request would create too many deliveries, and writes nothing', async () => {
    const tenant = await tenantWithWebhooks(3);
    const batch = await system.api('POST', '/v1/events/batch', {
      token: tenant.token,
      body: { events: [event(tenant.routeId), event(tenant.routeId)] },
    });
    assert.equal(batch.status, 422, JSON.stringify(batch.body));
    assert.deepEqual(batch.body.errors, {
      events: [`This request would create 6 deliveries; at most ${MAX_PER_REQUEST} are allowed per request.`],
    });
    assert.deepEqual(await written(tenant.routeId), { events: 0, deliveries: 0 }, 'the batch was all or nothing');

    const single = await system.api('POST', '/v1/events', { token: tenant.token, body: event(tenant.routeId) });
    assert.equal(single.status, 202, 'a request within the cap passes');
    assert.equal(single.body.data.deliveries.length, 3);
  });

  it('answers 429 with Retry-After once a team has used its budget, writes nothing for it, and throttles no other team', async () => {
    const busy = await tenantWithWebhooks(1);
    const burst = await system.api('POST', '/v1/events/batch', {
      token: busy.token,
      body: { events: Array.from({ length: BURST }, () => event(busy.routeId)) },
    });
    assert.equal(burst.status, 202, 'the whole burst passes at once');

    const refused = await system.api('POST', '/v1/events', { token: busy.token, body: event(busy.routeId) });
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 2, `Retry-After ${retryAfter} s for one delivery at ${PER_MINUTE}/min`);
    assert.match(refused.body.message, /Too many deliveries triggered for this team: retry after \d+ s\./);
    assert.deepEqual(await written(busy.routeId), { events: BURST, deliveries: BURST }, 'the refused one left nothing');

    const other = await tenantWithWebhooks(1);
    const unaffected = await system.api('POST', '/v1/events', { token: other.token, body: event(other.routeId) });
    assert.equal(unaffected.status, 202, 'another team has a budget of its own');

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    const later = await system.api('POST', '/v1/events', { token: busy.token, body: event(busy.routeId) });
    assert.equal(later.status, 202, 'after Retry-After the same request passes');
  });
});
