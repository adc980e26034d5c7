import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { webhookSchema } from '../../src/api/schemas/webhook-schemas';
import { expectStatus, expectValidation } from '../support/system/api-assertions';
import type { ReceivedRequest } from '../support/system/test-receiver';
import { TEST_SECRET_CIPHER } from '../support/system/test-secret-cipher';
import { useTestSystem } from '../support/system/use-test-system';

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;

/** Issue 11 (review rows 12 and 17): write-only Basic Auth for the receiver, sent with every attempt. */
describe('webhook Basic Auth (time-skipping Temporal server)', function () {
  this.timeout(90_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });
  const { api } = ctx;
  const CREDENTIALS = { username: 'tidehook-user', password: 'pä ss:word' };

  async function create(path: string, overrides: Record<string, unknown> = {}) {
    const response = await api('POST', '/v1/webhooks', {
      route_id: ctx.tenant.routeId,
      name: path,
      url: `${ctx.receiver.url}/${path}`,
      events: ['message.delivered'],
      ...overrides,
    });
    expectStatus(response, 201);
    return response;
  }

  /** Triggers one event and answers the request each webhook's path received for it, once all arrived. */
  async function deliverOnce(paths: string[]): Promise<Map<string, ReceivedRequest>> {
    const before = ctx.receiver.requests.length;
    const triggered = await api('POST', '/v1/events', {
      route_id: ctx.tenant.routeId,
      event: 'message.delivered',
      data: { n: before },
    });
    expectStatus(triggered, 202);
    for (const delivery of triggered.body.data.deliveries as Array<{ workflow_id: string }>) {
      await ctx.system.client.workflow.getHandle(delivery.workflow_id).result();
    }
    const received = ctx.receiver.requests.slice(before);
    return new Map(paths.map((path) => [path, received.find((r) => r.path === `/hook/${path}`)!]));
  }

  afterEach(async () => {
    // Each test triggers its own events: the webhooks of earlier tests must not take them.
    await ctx.system.database.db('webhooks').where({ team_id: ctx.tenant.teamId }).update({ enabled: false });
  });

  it('stores basic_auth encrypted, shows only has_basic_auth, and sends exactly Authorization: Basic to the receiver', async () => {
    const withAuth = await create('with-auth', { basic_auth: CREDENTIALS });
    const without = await create('without-auth');
    const id = withAuth.body.data.id as string;
    assert.equal(withAuth.body.data.has_basic_auth, true);
    assert.equal(without.body.data.has_basic_auth, false);

    const answers = [
      withAuth.body,
      (await api('GET', `/v1/webhooks/${id}`)).body,
      (await api('GET', '/v1/webhooks')).body,
      (await api('PUT', `/v1/webhooks/${id}`, { name: 'renamed' })).body,
    ];
    assert.equal(webhookSchema.parse(answers[1]).has_basic_auth, true);
    assert.equal(answers[2].data.find((w: { id: string }) => w.id === id).has_basic_auth, true);
    for (const answer of answers) {
      const text = JSON.stringify(answer);
      assert.ok(!text.includes('"basic_auth"') && !text.includes(CREDENTIALS.username), text);
      assert.ok(!text.includes('pä ss') && !text.includes(basic(CREDENTIALS.username, CREDENTIALS.password)));
    }

    const row = await ctx.system.database.db('webhooks').where({ id }).first();
    assert.match(row.basic_auth, /^enc:v2:[0-9a-f]{8}:/);
    assert.ok(!row.basic_auth.includes(CREDENTIALS.username) && !row.basic_auth.includes('ss:word'));
    assert.deepEqual(JSON.parse(TEST_SECRET_CIPHER.decrypt(row.basic_auth)), CREDENTIALS);
    assert.equal(
      (await ctx.system.database.db('webhooks').where({ id: without.body.data.id }).first()).basic_auth,
      null,
    );

    const received = await deliverOnce(['with-auth', 'without-auth']);
    assert.equal(received.get('with-auth')!.headers.authorization, basic('tidehook-user', 'pä ss:word'));
    assert.equal(received.get('without-auth')!.headers.authorization, undefined, 'no Authorization without it');

    // The attempt record says the header went, never what it was.
    const attempts = await api('GET', `/v1/webhooks/${id}/deliveries`);
    const detail = await api('GET', `/v1/webhooks/${id}/deliveries/${attempts.body.data[0].id}`);
    expectStatus(detail, 200);
    assert.equal(detail.body.request_headers.Authorization, 'Basic [redacted]');
    assert.ok(!JSON.stringify(detail.body).includes(basic(CREDENTIALS.username, CREDENTIALS.password)));
    const stored = await ctx.system.database.db('attempts').where({ webhook_id: id });
    assert.ok(!JSON.stringify(stored).includes(basic(CREDENTIALS.username, CREDENTIALS.password)));
  });

  it('keeps basic_auth when an update omits it, replaces it with a new value and removes it with null', async () => {
    const id = (await create('updated', { basic_auth: { username: 'first', password: '' } })).body.data.id;
    const header = async () => (await deliverOnce(['updated'])).get('updated')!.headers.authorization;
    assert.equal(await header(), basic('first', ''), 'an empty password is allowed');

    // The update is PUT (there is no PATCH), which takes any subset of the fields.
    const kept = await api('PUT', `/v1/webhooks/${id}`, { name: 'renamed' });
    expectStatus(kept, 200);
    assert.equal(kept.body.data.has_basic_auth, true);
    assert.equal(await header(), basic('first', ''), 'omitted: kept');

    const replaced = await api('PUT', `/v1/webhooks/${id}`, { basic_auth: { username: 'second', password: 'p2' } });
    expectStatus(replaced, 200);
    assert.equal(replaced.body.data.has_basic_auth, true);
    assert.equal(await header(), basic('second', 'p2'), 'replaced');

    const removed = await api('PUT', `/v1/webhooks/${id}`, { basic_auth: null });
    expectStatus(removed, 200);
    assert.equal(removed.body.data.has_basic_auth, false);
    assert.equal((await ctx.system.database.db('webhooks').where({ id }).first()).basic_auth, null);
    assert.equal(await header(), undefined, 'removed: no header');
  });

  it('sends it with the test endpoint and a replay too', async () => {
    const created = await create('test-and-replay', { basic_auth: { username: 'u', password: 'p' } });
    const id = created.body.data.id as string;
    const before = ctx.receiver.requests.length;
    const test = await api('POST', `/v1/webhooks/${id}/test`);
    expectStatus(test, 200);
    const received = await ctx.receiver.waitForRequests(before + 1, 15_000);
    assert.equal(received.at(-1)!.headers.authorization, basic('u', 'p'));

    const first = await deliverOnce(['test-and-replay']);
    assert.equal(first.get('test-and-replay')!.headers.authorization, basic('u', 'p'));
    const [delivery] = await ctx.system.database
      .db('deliveries')
      .where({ webhook_id: id })
      .orderBy('created_at', 'desc');
    const replay = await api('POST', `/v1/deliveries/${delivery.id}/replay`);
    expectStatus(replay, 202);
    await ctx.system.client.workflow.getHandle(replay.body.data.workflow_id).result();
    assert.equal(ctx.receiver.requests.at(-1)!.headers.authorization, basic('u', 'p'));
  });

  it('answers 422 naming the field for bad credentials, on create and update', async () => {
    const id = (await create('invalid')).body.data.id;
    await api('PUT', `/v1/webhooks/${id}`, { enabled: false });
    const cases: Array<[unknown, Record<string, string[]>]> = [
      [{ password: 'p' }, { 'basic_auth.username': ['The basic auth.username field is required.'] }],
      [{ username: '', password: 'p' }, { 'basic_auth.username': ['The basic auth.username field is required.'] }],
      [
        { username: 'a:b', password: 'p' },
        { 'basic_auth.username': ['The basic auth.username field must not contain a colon (RFC 7617).'] },
      ],
      [
        { username: 'x'.repeat(256), password: 'p' },
        { 'basic_auth.username': ['The basic auth.username field must not be greater than 255 characters.'] },
      ],
      [
        { username: 'u\n', password: 'p' },
        { 'basic_auth.username': ['The basic auth.username field must not contain control characters.'] },
      ],
      [{ username: 'u' }, { 'basic_auth.password': ['The basic auth.password field is required.'] }],
      [{ username: 'u', password: 5 }, { 'basic_auth.password': ['The basic auth.password field must be a string.'] }],
      [
        { username: 'u', password: 'p'.repeat(256) },
        { 'basic_auth.password': ['The basic auth.password field must not be greater than 255 characters.'] },
      ],
      [
        { username: 'u', password: 'p\u0000' },
        { 'basic_auth.password': ['The basic auth.password field must not contain control characters.'] },
      ],
      [
        { username: 'u', password: 'p', realm: 'r' },
        { 'basic_auth.realm': ['The basic auth.realm field is not allowed.'] },
      ],
      ['user:pass', { basic_auth: ['The basic auth field must be an object.'] }],
    ];
    for (const [basicAuth, errors] of cases) {
      expectValidation(
        await api('POST', '/v1/webhooks', {
          route_id: ctx.tenant.routeId,
          name: 'bad',
          url: `${ctx.receiver.url}/bad`,
          events: ['message.delivered'],
          basic_auth: basicAuth,
        }),
        errors,
      );
      expectValidation(await api('PUT', `/v1/webhooks/${id}`, { basic_auth: basicAuth }), errors);
    }
    assert.equal((await ctx.system.database.db('webhooks').where({ id }).first()).basic_auth, null, 'nothing written');
    const response = await api('POST', '/v1/webhooks', { url: 'x', basic_auth: { username: 'a:b', password: 'p' } });
    expectStatus(response, 422);
    assert.ok('basic_auth.username' in response.body.errors && 'name' in response.body.errors, 'with the others');
  });

  it('stores and echoes delivery_mode_filter; a sandbox-only webhook receives no event but still its test', async () => {
    const never = (await create('mode-never')).body.data;
    assert.equal(never.delivery_mode_filter, null, 'null until set');
    const sandbox = (await create('mode-sandbox', { delivery_mode_filter: 'sandbox' })).body.data;
    const live = (await create('mode-live', { delivery_mode_filter: 'live' })).body.data;
    const both = (await create('mode-both', { delivery_mode_filter: 'both' })).body.data;
    assert.deepEqual(
      [sandbox, live, both].map((w) => w.delivery_mode_filter),
      ['sandbox', 'live', 'both'],
    );
    assert.equal((await api('GET', `/v1/webhooks/${sandbox.id}`)).body.delivery_mode_filter, 'sandbox');
    const listed = (await api('GET', '/v1/webhooks?page[size]=100')).body.data as Array<Record<string, unknown>>;
    assert.equal(listed.find((w) => w.id === live.id)!.delivery_mode_filter, 'live');

    const received = await deliverOnce(['mode-never', 'mode-sandbox', 'mode-live', 'mode-both']);
    assert.deepEqual(
      [...received].filter(([, request]) => request !== undefined).map(([path]) => path),
      ['mode-never', 'mode-live', 'mode-both'],
      'every event is live',
    );
    const before = ctx.receiver.requests.length;
    expectStatus(await api('POST', `/v1/webhooks/${sandbox.id}/test`), 200);
    assert.equal((await ctx.receiver.waitForRequests(before + 1, 15_000)).at(-1)!.path, '/hook/mode-sandbox');

    const changed = await api('PUT', `/v1/webhooks/${sandbox.id}`, { delivery_mode_filter: 'both' });
    assert.equal(changed.body.data.delivery_mode_filter, 'both');
    assert.equal(
      (await api('PUT', `/v1/webhooks/${sandbox.id}`, { name: 'kept' })).body.data.delivery_mode_filter,
      'both',
    );
    const cleared = await api('PUT', `/v1/webhooks/${sandbox.id}`, { delivery_mode_filter: null });
    assert.equal(cleared.body.data.delivery_mode_filter, null);
    expectValidation(await api('PUT', `/v1/webhooks/${sandbox.id}`, { delivery_mode_filter: 'weekly' }), {
      delivery_mode_filter: ['The selected delivery mode filter is invalid.'],
    });
  });

  it("takes the scope fields the SDKs send on update when they describe the webhook's route", async () => {
    const id = (await create('scope-update')).body.data.id;
    const { routeId, projectId } = ctx.tenant;
    const same = await api('PUT', `/v1/webhooks/${id}`, {
      route_ids: [routeId],
      route_id: null,
      scope: 'route',
      project_ids: [projectId],
      name: 'same scope',
    });
    expectStatus(same, 200);
    assert.equal(same.body.data.name, 'same scope');
    expectStatus(await api('PUT', `/v1/webhooks/${id}`, { route_id: routeId }), 200);

    const move = 'A webhook cannot move to another route: name the route it has.';
    expectValidation(await api('PUT', `/v1/webhooks/${id}`, { route_ids: [randomUUID()] }), { route_ids: [move] });
    expectValidation(await api('PUT', `/v1/webhooks/${id}`, { route_id: randomUUID() }), { route_id: [move] });
    expectValidation(await api('PUT', `/v1/webhooks/${id}`, { project_ids: [randomUUID()] }), {
      project_ids: ["The project ids field must contain the route's project."],
    });
    expectValidation(await api('PUT', `/v1/webhooks/${id}`, { scope: 'team' }), {
      scope: ['Only route-scoped webhooks are supported: team and project scopes are not.'],
    });
    expectValidation(await api('PUT', `/v1/webhooks/${id}`, { route_ids: [routeId, routeId] }), {
      route_ids: ['The route ids field must name exactly one route.'],
    });
    expectStatus(await api('PUT', `/v1/webhooks/${randomUUID()}`, { route_ids: [routeId] }), 404);
  });
});
