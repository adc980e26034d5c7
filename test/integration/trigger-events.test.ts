import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRoute, createTenant, createWebhookRow } from '../support/system/fixtures';
import { useTestSystem } from '../support/system/use-test-system';

describe('POST /v1/events: fan-out, idempotency, batch', function () {
  this.timeout(120_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true });

  /**
   * One at a time: each result() unlocks the time-skipping server's clock, and concurrent waits unbalance its
   * lock count, letting it skip time while a workflow task is being processed.
   */
  async function results(deliveries: Array<{ workflow_id: string }>) {
    const outcomes = [];
    for (const d of deliveries) outcomes.push(await ctx.system.client.workflow.getHandle(d.workflow_id).result());
    return outcomes;
  }

  it('starts one delivery per enabled webhook of the route that subscribes to the event, and no other', async () => {
    const db = ctx.system.database.db;
    const tenant = await createTenant(db);
    const otherRoute = await createRoute(db, tenant.teamId, tenant.projectId);
    const subscribed = await createWebhookRow(db, {
      ...tenant,
      url: `${ctx.receiver.url}/a`,
      events: ['message.hard_bounced'],
    });
    const alsoSubscribed = await createWebhookRow(db, {
      ...tenant,
      url: `${ctx.receiver.url}/b`,
      events: ['message.delivered', 'message.hard_bounced'],
    });
    await createWebhookRow(db, { ...tenant, url: `${ctx.receiver.url}/c`, events: ['message.delivered'] });
    await createWebhookRow(db, {
      ...tenant,
      url: `${ctx.receiver.url}/d`,
      events: ['message.hard_bounced'],
      enabled: false,
    });
    await createWebhookRow(db, {
      teamId: tenant.teamId,
      routeId: otherRoute,
      url: `${ctx.receiver.url}/e`,
      events: ['message.hard_bounced'],
    });

    const response = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event: 'message.hard_bounced', data: { message_id: 'x' } },
    });
    assert.equal(response.status, 202);
    const webhookIds = response.body.data.deliveries.map((d: { webhook_id: string }) => d.webhook_id).sort();
    assert.deepEqual(webhookIds, [subscribed.id, alsoSubscribed.id].sort());
    assert.match(response.body.data.id, /^[0-9a-f-]{36}$/, 'the envelope id defaults to a UUID');
    ctx.receiver.requests.length = 0;
    await results(response.body.data.deliveries);
    assert.deepEqual(ctx.receiver.requests.map((r) => r.path).sort(), ['/hook/a', '/hook/b']);
    assert.match(response.body.data.id, /^[A-Za-z0-9_-]{1,128}$/, 'the generated id fits the caller-id pattern');
    for (const request of ctx.receiver.requests) {
      const envelope = JSON.parse(request.body);
      assert.deepEqual(Object.keys(envelope), ['id', 'event', 'timestamp', 'data', 'context']);
      assert.deepEqual(envelope.context, {
        scope: 'route',
        team_id: tenant.teamId,
        project_id: tenant.projectId,
        route_id: tenant.routeId,
      });
    }
  });

  it('accepts caller ids of [A-Za-z0-9_-]{1,128} and answers 422 on id for anything else', async () => {
    const db = ctx.system.database.db;
    const tenant = await createTenant(db);
    const post = (id: unknown) =>
      ctx.system.api('POST', '/v1/events', {
        token: tenant.token,
        body: { route_id: tenant.routeId, event: 'message.sent', data: {}, id },
      });
    for (const id of ['a', 'evt_1-X', 'x'.repeat(128)]) {
      const response = await post(id);
      assert.equal(response.status, 202, id);
      assert.equal(response.body.data.id, id);
    }
    for (const id of ['', 'x'.repeat(129), 'evt.1', 'evt 1', 'evt:1', 'évt', 'a/b', 'line\nbreak', 42]) {
      const response = await post(id);
      assert.equal(response.status, 422, JSON.stringify(id));
      assert.deepEqual(Object.keys(response.body.errors), ['id'], JSON.stringify(id));
    }
    const batch = await ctx.system.api('POST', '/v1/events/batch', {
      token: tenant.token,
      body: { events: [{ route_id: tenant.routeId, event: 'message.sent', data: {}, id: 'bad id' }] },
    });
    assert.equal(batch.status, 422);
    assert.deepEqual(Object.keys(batch.body.errors), ['events.0.id']);
  });

  it('sends machine opens and clicks only to webhooks that include machine events', async () => {
    const db = ctx.system.database.db;
    const tenant = await createTenant(db);
    const humansOnly = await createWebhookRow(db, {
      ...tenant,
      url: ctx.receiver.url,
      events: ['message.opened', 'message.clicked'],
    });
    const everything = await createWebhookRow(db, {
      ...tenant,
      url: ctx.receiver.url,
      events: ['message.opened', 'message.clicked'],
      includeMachineEvents: true,
    });

    const machine = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event: 'message.opened', data: { bot: { machine: true } } },
    });
    assert.deepEqual(
      machine.body.data.deliveries.map((d: { webhook_id: string }) => d.webhook_id),
      [everything.id],
    );
    const human = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event: 'message.clicked', data: { bot: { machine: false } } },
    });
    assert.deepEqual(
      human.body.data.deliveries.map((d: { webhook_id: string }) => d.webhook_id).sort(),
      [humansOnly.id, everything.id].sort(),
    );
    await results([...machine.body.data.deliveries, ...human.body.data.deliveries]);
  });

  it('answers a repeated envelope id with the existing deliveries and starts nothing new', async () => {
    const db = ctx.system.database.db;
    const tenant = await createTenant(db);
    await createWebhookRow(db, { ...tenant, url: ctx.receiver.url });
    const body = { route_id: tenant.routeId, event: 'message.delivered', data: { n: 1 }, id: 'evt-idem-1' };
    const first = await ctx.system.api('POST', '/v1/events', { token: tenant.token, body });
    await results(first.body.data.deliveries);
    const before = ctx.receiver.requests.length;

    const again = await Promise.all(
      [1, 2, 3].map(() => ctx.system.api('POST', '/v1/events', { token: tenant.token, body })),
    );
    for (const response of again) {
      assert.equal(response.status, 202);
      assert.equal(response.body.data.duplicate, true);
      assert.deepEqual(
        response.body.data.deliveries.map((d: { id: string }) => d.id),
        first.body.data.deliveries.map((d: { id: string }) => d.id),
      );
    }
    assert.equal(ctx.receiver.requests.length, before);
    assert.equal(
      (
        await db('deliveries')
          .count({ n: '*' })
          .whereIn('event_id', db('events').select('id').where({ envelope_id: 'evt-idem-1' }))
      )[0]!.n,
      '1',
    );

    const conflicting = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { ...body, data: { n: 2 } },
    });
    assert.equal(conflicting.status, 409);
    assert.deepEqual(conflicting.body, {
      message: 'An event with this id was already triggered on this route with different content.',
      errors: { id: ['This id is already used by a different event on this route.'] },
    });
  });

  it('accepts a batch and validates every item before starting any', async () => {
    const db = ctx.system.database.db;
    const tenant = await createTenant(db);
    await createWebhookRow(db, { ...tenant, url: ctx.receiver.url, events: ['message.sent', 'message.delivered'] });
    const bad = await ctx.system.api('POST', '/v1/events/batch', {
      token: tenant.token,
      body: {
        events: [
          { route_id: tenant.routeId, event: 'message.sent', data: {} },
          { route_id: tenant.routeId, event: 'message.nope', data: {} },
        ],
      },
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.body.errors), ['events.1.event']);
    assert.equal((await db('events').where({ route_id: tenant.routeId }).count({ n: '*' }))[0]!.n, '0');

    const good = await ctx.system.api('POST', '/v1/events/batch', {
      token: tenant.token,
      body: {
        events: [
          { route_id: tenant.routeId, event: 'message.sent', data: {} },
          { route_id: tenant.routeId, event: 'message.delivered', data: {} },
        ],
      },
    });
    assert.equal(good.status, 202);
    assert.equal(good.body.data.length, 2);
    await results(good.body.data.flatMap((e: { deliveries: unknown[] }) => e.deliveries));
  });

  it('rejects bad input with a 422 naming each field, and unknown routes and tokens', async () => {
    const tenant = await createTenant(ctx.system.database.db);
    const invalid = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: 'nope', event: 'message.sent', data: [], timestamp: 'yesterday', extra: 1 },
    });
    assert.equal(invalid.status, 422);
    assert.deepEqual(Object.keys(invalid.body.errors).sort(), ['data', 'extra', 'route_id', 'timestamp'].sort());
    assert.equal(invalid.body.message, 'The route id must be a UUID. (and 3 more errors)');

    const missingRoute = await ctx.system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: randomUUID(), event: 'message.sent', data: {} },
    });
    assert.equal(missingRoute.status, 404);
    const other = await createTenant(ctx.system.database.db);
    const foreignRoute = await ctx.system.api('POST', '/v1/events', {
      token: other.token,
      body: { route_id: tenant.routeId, event: 'message.sent', data: {} },
    });
    assert.equal(foreignRoute.status, 404);

    assert.equal((await ctx.system.api('POST', '/v1/events', { body: {} })).status, 401);
    assert.equal((await ctx.system.api('POST', '/v1/events', { token: 'th_unknown', body: {} })).status, 401);
    const malformed = await ctx.system.api('POST', '/v1/events', { token: tenant.token, rawBody: '{"route_id":' });
    assert.equal(malformed.status, 400);
    assert.deepEqual(malformed.body, {
      message: 'Malformed JSON in request body.',
      error: 'Malformed JSON in request body.',
    });
  });

  it('lets a trigger-only token trigger events', async () => {
    const tenant = await createTenant(ctx.system.database.db);
    const triggerToken = await ctx.system.stores.teams.createToken(tenant.teamId, 'service', ['trigger']);
    const response = await ctx.system.api('POST', '/v1/events', {
      token: triggerToken,
      body: { route_id: tenant.routeId, event: 'message.sent', data: {} },
    });
    assert.equal(response.status, 202);
    const view = await ctx.system.api('GET', `/v1/deliveries/${randomUUID()}`, { token: triggerToken });
    assert.equal(view.status, 403);
  });

  it('starts deliveries that were committed but never handed to Temporal (the outbox)', async () => {
    const db = ctx.system.database.db;
    const tenant = await createTenant(db);
    const webhook = await createWebhookRow(db, { ...tenant, url: ctx.receiver.url });
    const eventId = randomUUID();
    await db('events').insert({
      id: eventId,
      team_id: tenant.teamId,
      route_id: tenant.routeId,
      envelope_id: 'evt-stranded',
      event_type: 'message.delivered',
      body: '{"id":"evt-stranded"}',
      occurred_at: new Date(),
    });
    const deliveryId = randomUUID();
    const workflowId = `delivery:message.delivered:${deliveryId}`;
    await db('deliveries').insert({
      id: deliveryId,
      team_id: tenant.teamId,
      event_id: eventId,
      webhook_id: webhook.id,
      route_id: tenant.routeId,
      workflow_id: workflowId,
      created_at: new Date(Date.now() - 60_000),
    });

    const { sweeper } = ctx.system;
    // This file's own database: the only delivery never handed to Temporal is the one inserted above.
    assert.equal(await sweeper.sweepOnce(), 1);
    assert.deepEqual(await ctx.system.client.workflow.getHandle(workflowId).result(), {
      status: 'success',
      attempts: 1,
    });
    assert.notEqual((await db('deliveries').where({ id: deliveryId }).first()).workflow_started_at, null);
    assert.equal(await sweeper.sweepOnce(), 0);
  });
});
