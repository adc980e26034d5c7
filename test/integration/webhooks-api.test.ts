import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { webhookSchema, webhookWithSecretSchema } from '../../src/api/schemas/webhook-schemas';
import { EVENT_TYPES } from '../../src/events/event-types';
import { createTenant, readWebhookSecret } from '../support/system/fixtures';
import { expectStatus, expectValidation } from '../support/system/api-assertions';
import { useTestSystem } from '../support/system/use-test-system';

describe('webhooks API', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });
  const { api } = ctx;

  const validBody = (overrides: Record<string, unknown> = {}) => ({
    route_id: ctx.tenant.routeId,
    name: 'Production events',
    url: 'https://hooks.example.com/lettermint',
    events: ['message.delivered', 'message.hard_bounced'],
    ...overrides,
  });

  it('creates a webhook (201) with its secret, enabled and without machine events by default', async () => {
    const response = await api('POST', '/v1/webhooks', validBody());
    expectStatus(response, 201);
    assert.equal(
      response.body.message,
      'Webhook created successfully. Please save the secret as it will not be shown again.',
    );
    const webhook = webhookWithSecretSchema.parse(response.body.data);
    assert.equal(webhook.route_id, ctx.tenant.routeId);
    assert.equal(webhook.enabled, true);
    assert.equal(webhook.include_machine_events, false);
    assert.equal(webhook.last_called_at, null);
    assert.match(webhook.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(Object.keys(response.body.data), [
      'id',
      'route_id',
      'scope',
      'route_ids',
      'project_ids',
      'name',
      'url',
      'events',
      'enabled',
      'has_basic_auth',
      'delivery_mode_filter',
      'include_machine_events',
      'signature_scheme',
      'secret',
      'last_called_at',
      'created_at',
      'updated_at',
    ]);
    assert.equal(await readWebhookSecret(ctx.system.database.db, ctx.tenant.teamId, webhook.id), webhook.secret);
  });

  it('keeps each event type once and honours enabled and include_machine_events', async () => {
    const response = await api(
      'POST',
      '/v1/webhooks',
      validBody({
        events: ['message.opened', 'message.opened', 'message.clicked'],
        enabled: false,
        include_machine_events: true,
      }),
    );
    expectStatus(response, 201);
    assert.deepEqual(response.body.data.events, ['message.opened', 'message.clicked']);
    assert.equal(response.body.data.enabled, false);
    assert.equal(response.body.data.include_machine_events, true);
  });

  it('takes null for enabled and include_machine_events on create as their defaults, but not on update', async () => {
    const response = await api('POST', '/v1/webhooks', validBody({ enabled: null, include_machine_events: null }));
    expectStatus(response, 201);
    assert.equal(response.body.data.enabled, true);
    assert.equal(response.body.data.include_machine_events, false);

    const update = await api('PUT', `/v1/webhooks/${response.body.data.id}`, {
      enabled: null,
      include_machine_events: null,
    });
    expectStatus(update, 422);
    assert.deepEqual(Object.keys(update.body.errors).sort(), ['enabled', 'include_machine_events']);
    const shown = await api('GET', `/v1/webhooks/${response.body.data.id}`);
    assert.equal(shown.body.enabled, true);
    assert.equal(shown.body.include_machine_events, false);
  });

  it('answers a 400 with error beside message, as the Lettermint Node SDK reads it', async () => {
    const response = await fetch(`${ctx.system.baseUrl}/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.tenant.token}`, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      message: 'Malformed JSON in request body.',
      error: 'Malformed JSON in request body.',
    });
  });

  it("subscribes to all 21 of Lettermint's event types, the four schedule events included", async () => {
    const scheduleEvents = ['message.scheduled', 'message.rescheduled', 'message.canceled', 'message.released'];
    const response = await api('POST', '/v1/webhooks', validBody({ events: [...EVENT_TYPES] }));
    expectStatus(response, 201);
    assert.equal(response.body.data.events.length, 21);
    for (const event of scheduleEvents) assert.ok(response.body.data.events.includes(event), event);
  });

  it("emits Lettermint's newer fields with route-scope values in detail and list", async () => {
    const created = (await api('POST', '/v1/webhooks', validBody())).body.data;
    const expected = {
      scope: 'route',
      route_ids: [ctx.tenant.routeId],
      project_ids: [ctx.tenant.projectId],
      has_basic_auth: false,
      delivery_mode_filter: null,
    };
    const pick = (json: Record<string, unknown>) =>
      Object.fromEntries(Object.keys(expected).map((key) => [key, json[key]]));
    assert.deepEqual(pick(created), expected);
    assert.deepEqual(pick((await api('GET', `/v1/webhooks/${created.id}`)).body), expected);
    const listed = (await api('GET', '/v1/webhooks')).body.data.find((w: { id: string }) => w.id === created.id);
    assert.deepEqual(pick(listed), expected);
  });

  it('accepts route_ids (one route), scope route, project_ids holding the route project and delivery_mode_filter', async () => {
    const { route_id: routeId, ...rest } = validBody();
    const created = await api('POST', '/v1/webhooks', {
      ...rest,
      route_ids: [routeId],
      scope: 'route',
      project_ids: [ctx.tenant.projectId],
      delivery_mode_filter: 'live',
    });
    expectStatus(created, 201);
    assert.equal(created.body.data.route_id, routeId);
    assert.deepEqual(created.body.data.route_ids, [routeId]);

    expectValidation(await api('POST', '/v1/webhooks', { ...rest, route_ids: [routeId, randomUUID()] }), {
      route_ids: ['The route ids field must name exactly one route.'],
    });
    expectValidation(await api('POST', '/v1/webhooks', { ...rest, route_ids: [] }), {
      route_ids: ['The route ids field must name exactly one route.'],
    });
    expectValidation(await api('POST', '/v1/webhooks', validBody({ scope: 'team' })), {
      scope: ['Only route-scoped webhooks are supported: team and project scopes are not.'],
    });
    expectValidation(await api('POST', '/v1/webhooks', validBody({ scope: 'project' })), {
      scope: ['Only route-scoped webhooks are supported: team and project scopes are not.'],
    });
    expectValidation(await api('POST', '/v1/webhooks', validBody({ project_ids: [randomUUID()] })), {
      project_ids: ["The project ids field must contain the route's project."],
    });
    expectStatus(await api('POST', '/v1/webhooks', validBody({ delivery_mode_filter: 'weekly' })), 422);
  });

  it('shows a webhook bare and never with its secret', async () => {
    const created = (await api('POST', '/v1/webhooks', validBody())).body.data;
    const response = await api('GET', `/v1/webhooks/${created.id}`);
    expectStatus(response, 200);
    const { secret: _secret, ...withoutSecret } = created;
    assert.deepEqual(webhookSchema.parse(response.body), withoutSecret);
    assert.equal('secret' in response.body, false);
  });

  it('answers 404 for unknown or malformed webhook ids on every webhook route', async () => {
    for (const id of [randomUUID(), 'abc']) {
      for (const [method, path, body] of [
        ['GET', ''],
        ['PUT', '', { name: 'x' }],
        ['DELETE', ''],
        ['POST', '/test'],
        ['POST', '/regenerate-secret'],
        ['GET', '/deliveries'],
        ['GET', `/deliveries/${randomUUID()}`],
      ] as const) {
        const response = await api(method, `/v1/webhooks/${id}${path}`, body);
        expectStatus(response, 404);
        assert.deepEqual(response.body, { message: 'Webhook not found.' });
      }
    }
  });

  it('rejects invalid webhooks with 422 and every message by field', async () => {
    const response = await api('POST', '/v1/webhooks', {
      route_id: 'not-a-uuid',
      name: '',
      url: 'not a url',
      events: ['message.delivered', 'message.sent', 'message.teleported'],
      enabled: 'yes',
      secret: 'whsec_mine',
    });
    expectValidation(
      response,
      {
        route_id: ['The route id field must be a valid UUID.'],
        name: ['The name field is required.'],
        url: ['The url field must be a valid URL.'],
        'events.2': ['The selected events.2 is invalid.'],
        enabled: ['The enabled field must be true or false.'],
        secret: ['The secret field is not allowed.'],
      },
      'The route id field must be a valid UUID. (and 5 more errors)',
    );

    const missing = await api('POST', '/v1/webhooks', {});
    expectStatus(missing, 422);
    assert.deepEqual(Object.keys(missing.body.errors).sort(), ['events', 'name', 'route_id', 'url']);

    const limits = await api(
      'POST',
      '/v1/webhooks',
      validBody({ name: 'n'.repeat(256), url: `https://example.com/${'a'.repeat(481)}`, events: [] }),
    );
    expectValidation(limits, {
      name: ['The name field must not be greater than 255 characters.'],
      url: ['The url field must not be greater than 500 characters.'],
      events: ['The events field must have at least 1 items.'],
    });
    const atLimit = await api(
      'POST',
      '/v1/webhooks',
      validBody({ name: 'n'.repeat(255), url: `https://example.com/${'a'.repeat(480)}` }),
    );
    expectStatus(atLimit, 201);
  });

  it('refuses a route of another team, or a deleted one, as an invalid route_id', async () => {
    const other = await createTenant(ctx.system.database.db);
    for (const routeId of [other.routeId, randomUUID()]) {
      const response = await api('POST', '/v1/webhooks', validBody({ route_id: routeId }));
      expectStatus(response, 422);
      assert.deepEqual(response.body, {
        message: 'The selected route id is invalid.',
        errors: { route_id: ['The selected route id is invalid.'] },
      });
    }
  });

  it('accepts only https:// and public hosts unless the operator allows http:// and private targets', async () => {
    const saved = ctx.system.deps.targets;
    ctx.system.deps.targets = { allowHttp: false, allowPrivate: false };
    try {
      const refused: Array<[string, string]> = [
        ['http://hooks.example.com/x', 'The url field must start with https://.'],
        ['ftp://hooks.example.com/x', 'The url field must start with https://.'],
        ['https://localhost/x', 'The url field must point to a public host (refused: loopback name localhost).'],
        [
          'https://127.0.0.1:8080/x',
          'The url field must point to a public host (refused: loopback address 127.0.0.1).',
        ],
        ['https://10.0.0.7/x', 'The url field must point to a public host (refused: private address 10.0.0.7).'],
        ['https://172.16.5.4/x', 'The url field must point to a public host (refused: private address 172.16.5.4).'],
        [
          'https://192.168.1.10/x',
          'The url field must point to a public host (refused: private address 192.168.1.10).',
        ],
        ['https://[::1]/x', 'The url field must point to a public host (refused: loopback address ::1).'],
      ];
      for (const [url, message] of refused) {
        const response = await api('POST', '/v1/webhooks', validBody({ url }));
        expectStatus(response, 422);
        assert.deepEqual(response.body.errors, { url: [message] }, url);
      }
      expectStatus(await api('POST', '/v1/webhooks', validBody({ url: 'https://172.32.0.1/x' })), 201);
      const created = (await api('POST', '/v1/webhooks', validBody())).body.data;
      expectStatus(await api('PUT', `/v1/webhooks/${created.id}`, { url: 'http://hooks.example.com/x' }), 422);

      ctx.system.deps.targets = { allowHttp: true, allowPrivate: true };
      expectStatus(await api('POST', '/v1/webhooks', validBody({ url: 'http://127.0.0.1:8080/x' })), 201);
    } finally {
      ctx.system.deps.targets = saved;
    }
  });

  it('refuses a destination port outside the port policy on create and update, naming the url field', async () => {
    const message = 'The url field must use an allowed port (refused: port 6379, used by Redis).';
    const refused = await api('POST', '/v1/webhooks', validBody({ url: 'https://hooks.example.com:6379/x' }));
    expectStatus(refused, 422);
    assert.deepEqual(refused.body, { message, errors: { url: [message] } });

    const created = (await api('POST', '/v1/webhooks', validBody())).body.data;
    const update = await api('PUT', `/v1/webhooks/${created.id}`, { url: 'https://hooks.example.com:22/x' });
    expectStatus(update, 422);
    assert.deepEqual(update.body.errors, {
      url: ['The url field must use an allowed port (refused: port 22, below 1024).'],
    });
    expectStatus(await api('PUT', `/v1/webhooks/${created.id}`, { url: 'https://hooks.example.com:8443/x' }), 200);
  });

  it('updates any subset of name, url, events, enabled and include_machine_events', async () => {
    const created = (await api('POST', '/v1/webhooks', validBody())).body.data;
    const response = await api('PUT', `/v1/webhooks/${created.id}`, {
      name: 'Renamed',
      events: ['message.sent'],
      include_machine_events: true,
    });
    expectStatus(response, 200);
    assert.equal(response.body.message, 'Webhook updated successfully.');
    const updated = webhookSchema.parse(response.body.data);
    assert.equal(updated.name, 'Renamed');
    assert.deepEqual(updated.events, ['message.sent']);
    assert.equal(updated.include_machine_events, true);
    assert.equal(updated.url, created.url);
    assert.equal('secret' in response.body.data, false);

    const invalid = await api('PUT', `/v1/webhooks/${created.id}`, { events: [], secret: 'whsec_chosen' });
    expectValidation(invalid, {
      events: ['The events field must have at least 1 items.'],
      secret: ['The secret field is not allowed.'],
    });
  });

  async function pendingDeliveryOn(webhookId: string) {
    ctx.receiver.answer = () => ({ status: 500 });
    ctx.receiver.requests.length = 0;
    const triggered = await api('POST', '/v1/events', {
      route_id: ctx.tenant.routeId,
      event: 'message.failed',
      data: {},
    });
    expectStatus(triggered, 202);
    const delivery = triggered.body.data.deliveries.find((d: { webhook_id: string }) => d.webhook_id === webhookId);
    assert.ok(delivery);
    await ctx.receiver.waitForRequests(1);
    return delivery as { id: string; workflow_id: string };
  }

  it('disabling a webhook stops its pending deliveries', async () => {
    const webhook = (
      await api('POST', '/v1/webhooks', validBody({ url: ctx.receiver.url, events: ['message.failed'] }))
    ).body.data;
    const delivery = await pendingDeliveryOn(webhook.id);
    const response = await api('PUT', `/v1/webhooks/${webhook.id}`, { enabled: false });
    expectStatus(response, 200);
    assert.equal(response.body.data.enabled, false);
    const row = await ctx.system.database.db('deliveries').where({ id: delivery.id }).first();
    assert.equal(row.status, 'cancelled');
    assert.equal(row.status_reason, 'webhook disabled');
    await ctx.system.client.workflow
      .getHandle(delivery.workflow_id)
      .result()
      .catch(() => undefined);
    assert.equal(ctx.receiver.requests.length, 1);
  });

  it('deleting a webhook answers with a message, stops its pending deliveries and makes it 404', async () => {
    const webhook = (
      await api('POST', '/v1/webhooks', validBody({ url: ctx.receiver.url, events: ['message.failed'] }))
    ).body.data;
    const delivery = await pendingDeliveryOn(webhook.id);
    const response = await api('DELETE', `/v1/webhooks/${webhook.id}`);
    expectStatus(response, 200);
    assert.deepEqual(response.body, { message: 'Webhook deleted successfully.', cancelled_deliveries: 1 });
    const row = await ctx.system.database.db('deliveries').where({ id: delivery.id }).first();
    assert.equal(row.status, 'cancelled');
    assert.equal(row.status_reason, 'webhook deleted');
    await ctx.system.client.workflow
      .getHandle(delivery.workflow_id)
      .result()
      .catch(() => undefined);
    assert.equal(ctx.receiver.requests.length, 1);
    expectStatus(await api('GET', `/v1/webhooks/${webhook.id}`), 404);
    expectStatus(await api('DELETE', `/v1/webhooks/${webhook.id}`), 404);
    expectStatus(await api('PUT', `/v1/webhooks/${webhook.id}`, { enabled: true }), 404);
  });
});
