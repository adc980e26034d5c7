import assert from 'node:assert/strict';
import { apiOperations } from '../../src/api/operations/api-operations';
import { createTenant, readWebhookSecret, type Tenant } from '../support/system/fixtures';
import { expectStatus, expectValidation } from '../support/system/api-assertions';
import { useTestSystem } from '../support/system/use-test-system';

type Call = [method: string, path: string, body?: unknown];

describe('authentication, scopes and team isolation', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true });

  let owner: Tenant;
  let outsider: Tenant;
  let triggerToken: string;
  /** The owner's resources, one of each kind. */
  const ids = {
    project: '',
    route: '',
    webhook: '',
    secret: '',
    attempt: '',
    delivery: '',
    replayJob: '',
    token: '',
    portalSession: '',
  };

  /** A valid body for each operation that takes one, so that only ownership can make a call fail. */
  const bodies = (): Record<string, unknown> => ({
    triggerEvent: { route_id: ids.route, event: 'message.sent', data: {} },
    triggerEvents: { events: [{ route_id: ids.route, event: 'message.sent', data: {} }] },
    createProject: { name: 'x' },
    updateProject: { name: 'taken over' },
    createRoute: { name: 'intruder', route_type: 'transactional' },
    updateRoute: { name: 'taken over' },
    createWebhook: { route_id: ids.route, name: 'x', url: 'https://example.com', events: ['message.sent'] },
    updateWebhook: { url: 'https://attacker.example.com/steal' },
    regenerateWebhookSecret: { grace_period_seconds: 0 },
    startBulkReplay: { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
    createToken: { name: 'x', scopes: ['trigger'] },
    createPortalSession: { route_id: ids.route },
  });

  /** Which of the owner's resources a path parameter names. */
  const resourceFor = (path: string, param: string): string => {
    if (param === 'deliveryId') return ids.attempt;
    const collection = /^\/v1\/([\w-]+)\//.exec(path)![1];
    return {
      projects: ids.project,
      routes: ids.route,
      webhooks: ids.webhook,
      deliveries: ids.delivery,
      'replay-jobs': ids.replayJob,
      tokens: ids.token,
      'portal-sessions': ids.portalSession,
    }[collection!]!;
  };

  /** Every documented endpoint, aimed at the owner's resources, with the scope it needs. */
  const everyCall = (): Array<{ call: Call; scope: string; collection: boolean }> =>
    apiOperations().map((op) => ({
      call: [
        op.method.toUpperCase(),
        op.path.replace(/\{(\w+)\}/g, (_m, param: string) => resourceFor(op.path, param)),
        bodies()[op.operationId],
      ],
      scope: op.scope,
      collection: !op.path.includes('{'),
    }));
  const managementCalls = (): Call[] =>
    everyCall()
      .filter((c) => c.scope === 'manage')
      .map((c) => c.call);

  before(async () => {
    owner = await createTenant(ctx.system.database.db);
    outsider = await createTenant(ctx.system.database.db);
    triggerToken = await ctx.system.stores.teams.createToken(owner.teamId, 'internal service', ['trigger']);
    ids.token = (await ctx.system.stores.teams.authenticate(triggerToken))!.tokenId;

    const as = (method: string, path: string, body?: unknown) =>
      ctx.system.api(method, path, { token: owner.token, body });
    ids.project = (await as('POST', '/v1/projects', { name: 'Owned' })).body.data.id;
    ids.route = (
      await as('POST', `/v1/projects/${ids.project}/routes`, { name: 'Owned', route_type: 'transactional' })
    ).body.data.id;
    const webhook = (
      await as('POST', '/v1/webhooks', {
        route_id: ids.route,
        name: 'Owned',
        url: ctx.receiver.url,
        events: ['message.sent'],
      })
    ).body.data;
    ids.webhook = webhook.id;
    ids.secret = webhook.secret;
    ids.attempt = (await as('POST', `/v1/webhooks/${ids.webhook}/test`)).body.delivery_id;
    ids.delivery = (await as('GET', `/v1/webhooks/${ids.webhook}/deliveries/${ids.attempt}`)).body.delivery_id;
    await ctx.receiver.waitForRequests(1);
    ids.replayJob = (
      await as('POST', `/v1/webhooks/${ids.webhook}/replays`, {
        from: '2026-01-01T00:00:00Z',
        to: '2027-01-01T00:00:00Z',
      })
    ).body.data.id;
    ids.portalSession = (await as('POST', '/v1/portal-sessions', { route_id: ids.route })).body.data.id;
  });

  it('answers 401 with a message when the token is missing, malformed or unknown', async () => {
    const headers: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer' },
      { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` },
      { authorization: 'Bearer th_not-a-real-token' },
      { authorization: `Bearer ${owner.token} extra` },
    ];
    for (const [method, path, body] of everyCall().map((c) => c.call)) {
      for (const header of headers) {
        const response = await fetch(`${ctx.system.baseUrl}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...header },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        assert.equal(response.status, 401, `${method} ${path} with ${JSON.stringify(header)}`);
        assert.deepEqual(await response.json(), { message: 'Unauthenticated.' });
      }
    }
  });

  it('accepts the scheme name in any case', async () => {
    const response = await fetch(`${ctx.system.baseUrl}/v1/projects`, {
      headers: { authorization: `bearer ${owner.token}` },
    });
    assert.equal(response.status, 200);
  });

  it('answers 403 with a message when a trigger token calls a management endpoint', async () => {
    for (const [method, path, body] of managementCalls()) {
      const response = await ctx.system.api(method, path, { token: triggerToken, body });
      expectStatus(response, 403, `${method} ${path}`);
      assert.deepEqual(response.body, { message: 'This token lacks the "manage" scope.' });
    }
    const project = await ctx.system.api('GET', `/v1/projects/${ids.project}`, { token: owner.token });
    expectStatus(project, 200, 'nothing was changed by the refused calls');
    assert.equal(project.body.name, 'Owned');
  });

  it('lets a trigger token post events, one or in a batch', async () => {
    const event = { route_id: ids.route, event: 'message.sent', data: { n: 1 } };
    expectStatus(await ctx.system.api('POST', '/v1/events', { token: triggerToken, body: event }), 202, 'single');
    expectStatus(
      await ctx.system.api('POST', '/v1/events/batch', { token: triggerToken, body: { events: [event, event] } }),
      202,
      'batch',
    );
  });

  it('has a valid body at hand for every documented operation that takes one', () => {
    for (const op of apiOperations()) {
      if (op.body?.required) assert.ok(op.body.schema.safeParse(bodies()[op.operationId]).success, op.operationId);
    }
  });

  it("answers 404 on every endpoint for another team's resources and changes nothing", async () => {
    const aimed = everyCall()
      .filter((c) => !c.collection)
      .map((c) => c.call);
    assert.ok(aimed.length >= 20);
    for (const [method, path, body] of [...aimed, ['POST', '/v1/events', bodies().triggerEvent] as Call]) {
      const response = await ctx.system.api(method, path, { token: outsider.token, body });
      expectStatus(response, 404, `${method} ${path}`);
      assert.deepEqual(Object.keys(response.body), ['message']);
      assert.match(response.body.message, /not found\.$/);
    }

    const as = (path: string) => ctx.system.api('GET', path, { token: owner.token });
    assert.equal((await as(`/v1/projects/${ids.project}`)).body.name, 'Owned');
    assert.equal((await as(`/v1/routes/${ids.route}`)).body.name, 'Owned');
    assert.equal((await as(`/v1/webhooks/${ids.webhook}`)).body.url, ctx.receiver.url);
    assert.equal(await readWebhookSecret(ctx.system.database.db, owner.teamId, ids.webhook), ids.secret);
  });

  it("refuses another team's route as route_id (422) and never lists another team's resources", async () => {
    const created = await ctx.system.api('POST', '/v1/webhooks', {
      token: outsider.token,
      body: { route_id: ids.route, name: 'x', url: 'https://example.com', events: ['message.sent'] },
    });
    expectValidation(created, { route_id: ['The selected route id is invalid.'] });

    const as = (path: string) => ctx.system.api('GET', path, { token: outsider.token });
    const projects = await as('/v1/projects?page[size]=100');
    assert.deepEqual(
      projects.body.data.map((p: { id: string }) => p.id),
      [outsider.projectId],
    );
    assert.deepEqual((await as('/v1/webhooks?page[size]=100')).body.data, []);
    assert.deepEqual((await as(`/v1/webhooks?filter[route_id]=${ids.route}`)).body.data, []);
  });

  it("does not show an attempt through one's own webhook when it belongs to another team's", async () => {
    const mine = await ctx.system.api('POST', '/v1/webhooks', {
      token: outsider.token,
      body: { route_id: outsider.routeId, name: 'mine', url: ctx.receiver.url, events: ['message.sent'] },
    });
    const response = await ctx.system.api('GET', `/v1/webhooks/${mine.body.data.id}/deliveries/${ids.attempt}`, {
      token: outsider.token,
    });
    expectStatus(response, 404);
  });

  it('serves the OpenAPI document and the reference page without a token, and 404s unknown API paths', async () => {
    expectStatus(await ctx.system.api('GET', '/v1/openapi.json'), 200);
    expectStatus(await ctx.system.api('GET', '/docs'), 200);
    const unknown = await ctx.system.api('GET', '/v1/nothing-here', { token: owner.token });
    expectStatus(unknown, 404);
    assert.deepEqual(unknown.body, { message: 'Not found.' });
  });
});
