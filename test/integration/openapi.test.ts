import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApp } from '../../src/api/create-app';
import { apiOperations } from '../../src/api/operations/api-operations';
import { webhookCreateSchema } from '../../src/api/schemas/webhook-schemas';
import { EVENT_TYPES } from '../../src/events/event-types';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { servedRoutes } from '../support/system/served-routes';
import { useTestSystem } from '../support/system/use-test-system';

type Json = Record<string, any>;

describe('OpenAPI document and reference page', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });

  let document: Json;
  /** A receiver that fails, so deliveries stay pending for cancel and replay. */
  let failing: TestReceiver | undefined;

  before(async () => {
    const response = await ctx.system.api('GET', '/v1/openapi.json');
    assert.equal(response.status, 200);
    document = response.body;
  });

  after(async () => {
    await failing?.close();
  });

  it('serves an OpenAPI 3.1 document with bearer authentication, without a token', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.equal(document.info.title, 'Tidehook API');
    assert.deepEqual(document.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      description: 'An API token (`th_...`).',
    });
    assert.deepEqual(document.security, [{ bearerAuth: [] }]);
  });

  it('documents every endpoint the API serves, and nothing else', () => {
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods as Json).map((m) => `${m.toUpperCase()} ${path}`),
    );
    assert.deepEqual(
      documented.sort(),
      servedRoutes(createApp(ctx.system.deps))
        .filter((route) => route.includes(' /v1/') && !route.endsWith('/openapi.json'))
        .sort(),
    );
    const lettermint = [
      'GET /v1/webhooks',
      'POST /v1/webhooks',
      'GET /v1/webhooks/{id}',
      'PUT /v1/webhooks/{id}',
      'DELETE /v1/webhooks/{id}',
      'POST /v1/webhooks/{id}/test',
      'POST /v1/webhooks/{id}/regenerate-secret',
      'GET /v1/webhooks/{id}/deliveries',
      'GET /v1/webhooks/{id}/deliveries/{deliveryId}',
      'POST /v1/projects',
      'GET /v1/projects',
      'GET /v1/projects/{id}',
      'PUT /v1/projects/{id}',
      'DELETE /v1/projects/{id}',
      'GET /v1/projects/{id}/routes',
      'POST /v1/projects/{id}/routes',
      'GET /v1/routes/{id}',
      'PUT /v1/routes/{id}',
      'DELETE /v1/routes/{id}',
    ];
    for (const endpoint of lettermint) assert.ok(documented.includes(endpoint), endpoint);
  });

  it('describes request bodies with the very schemas that validate them', () => {
    const { $schema: _ignored, ...expected } = z.toJSONSchema(
      webhookCreateSchema({ allowHttp: false, allowPrivate: false }),
      { io: 'input' },
    );
    assert.deepEqual(document.components.schemas.WebhookCreate, expected);
    const create = document.components.schemas.WebhookCreate;
    // route_id or route_ids (one element): the schema's refinement says which, so neither is required on its own.
    assert.deepEqual(create.required, ['name', 'url', 'events']);
    assert.deepEqual(create.properties.scope.enum, ['team', 'project', 'route']);
    assert.deepEqual(create.properties.delivery_mode_filter.anyOf[0].enum, ['live', 'sandbox', 'both']);
    assert.equal(create.additionalProperties, false);
    assert.deepEqual(create.properties.events.items.enum, [...EVENT_TYPES]);
    assert.equal(create.properties.url.maxLength, 500);
    assert.equal(create.properties.name.maxLength, 255);
    assert.deepEqual(create.properties.signature_scheme.enum, ['lettermint', 'standard_webhooks']);
    assert.equal(create.properties.signature_scheme.default, 'lettermint');
    assert.deepEqual(document.components.schemas.WebhookUpdate?.properties.signature_scheme.enum ?? null, [
      'lettermint',
      'standard_webhooks',
    ]);
    // Basic Auth: write-only on create and update, `has_basic_auth` alone in every answer.
    for (const name of ['WebhookCreate', 'WebhookUpdate']) {
      const field = document.components.schemas[name].properties.basic_auth;
      assert.match(field.description, /Write-only/, name);
      const object = (field.anyOf as Json[]).find((variant) => variant.type === 'object')!;
      assert.deepEqual(object.required, ['username', 'password'], name);
      assert.equal(object.properties.username.maxLength, 255);
      assert.equal(object.properties.password.maxLength, 255);
      assert.match(document.components.schemas[name].properties.delivery_mode_filter.description, /`sandbox` receives/);
    }
    assert.deepEqual(
      ['route_id', 'route_ids', 'scope', 'project_ids'].filter(
        (key) => !(key in document.components.schemas.WebhookUpdate.properties),
      ),
      [],
      'the update takes the scope fields the SDKs send',
    );
    assert.equal(document.components.schemas.Webhook.properties.has_basic_auth.type, 'boolean');
    for (const [name, schema] of Object.entries(document.components.schemas as Record<string, Json>)) {
      if (name === 'WebhookCreate' || name === 'WebhookUpdate') continue;
      assert.ok(!JSON.stringify(schema).includes('"basic_auth"'), `${name} never carries basic_auth`);
    }
    assert.deepEqual(document.components.schemas.RouteCreate.properties.route_type.enum, [
      'transactional',
      'broadcast',
      'inbound',
    ]);
    assert.equal(document.components.schemas.RegenerateSecret.properties.grace_period_seconds.maximum, 604800);
    assert.equal(document.paths['/v1/webhooks/{id}/regenerate-secret'].post.requestBody.required, false);
  });

  it('names list parameters as the API reads them: page[size], page[cursor] (and a bare cursor on the webhook lists), sort and filter[...]', () => {
    const names = (path: string) =>
      (document.paths[path].get.parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
    assert.deepEqual(names('/v1/webhooks'), [
      'page[size]',
      'page[cursor]',
      'sort',
      'filter[route_id]',
      'filter[project]',
      'filter[scope]',
      'filter[enabled]',
      'filter[event]',
      'filter[search]',
      'cursor',
    ]);
    assert.deepEqual(names('/v1/webhooks/{id}/deliveries'), [
      'page[size]',
      'page[cursor]',
      'sort',
      'filter[status]',
      'filter[event_type]',
      'filter[from_date]',
      'filter[to_date]',
      'cursor',
    ]);
    assert.deepEqual(names('/v1/projects'), ['page[size]', 'page[cursor]', 'sort']);
    const size = (document.paths['/v1/webhooks'].get.parameters as Json[]).find((p) => p.name === 'page[size]')!;
    assert.deepEqual(size.schema, { default: 30, type: 'integer', minimum: 1, maximum: 100 });
    const path = (document.paths['/v1/webhooks/{id}/deliveries/{deliveryId}'].get.parameters as Json[]).map((p) => [
      p.name,
      p.in,
    ]);
    assert.deepEqual(path, [
      ['id', 'path'],
      ['deliveryId', 'path'],
    ]);
  });

  it('documents the errors: 401 everywhere, 403 for management endpoints, 404 and 422 where they happen', () => {
    const webhookCreate = document.paths['/v1/webhooks'].post.responses;
    assert.deepEqual(Object.keys(webhookCreate).sort(), ['201', '401', '403', '422']);
    assert.deepEqual(Object.keys(document.paths['/v1/events'].post.responses).sort(), [
      '202',
      '401',
      '404',
      '409',
      '422',
    ]);
    assert.deepEqual(document.components.responses.ValidationFailed.content['application/json'].schema, {
      $ref: '#/components/schemas/ValidationError',
    });
  });

  it('has no dangling references, and no component that nothing references', () => {
    const refs: string[] = [];
    const visit = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref') refs.push(value as string);
          else visit(value);
        }
      }
    };
    visit(document);
    // Every reusable schema and response is used, and every reference points at one of them. (The security scheme
    // is named by `security`, not by a $ref.)
    const components = (['schemas', 'responses'] as const).flatMap((kind) =>
      Object.keys(document.components[kind]).map((name) => `#/components/${kind}/${name}`),
    );
    assert.ok(components.length > 0);
    assert.deepEqual([...new Set(refs)].sort(), components.sort());
    for (const ref of new Set(refs)) {
      const target = ref
        .replace('#/', '')
        .split('/')
        .reduce<any>((node, key) => node?.[key], document);
      assert.ok(target, `${ref} resolves`);
    }
  });

  it('answers every operation with exactly the documented response schema', async () => {
    const { api } = ctx;
    const project = (await api('POST', '/v1/projects', { name: 'Documented' })).body.data;
    const route = (
      await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Documented', route_type: 'broadcast' })
    ).body.data;
    const webhook = (
      await api('POST', '/v1/webhooks', {
        route_id: route.id,
        name: 'Documented',
        url: ctx.receiver.url,
        events: ['message.sent'],
      })
    ).body.data;
    const test = (await api('POST', `/v1/webhooks/${webhook.id}/test`)).body;
    await ctx.receiver.waitForRequests(1);
    const attempt = (await api('GET', `/v1/webhooks/${webhook.id}/deliveries/${test.delivery_id}`)).body;
    const event = { route_id: route.id, event: 'message.sent', data: { ok: true } };

    // Deliveries to cancel and replay: a receiver that fails keeps them pending between attempts.
    failing = await startTestReceiver();
    failing.answer = () => ({ status: 500 });
    const failingHook = (
      await api('POST', '/v1/webhooks', {
        route_id: route.id,
        name: 'Failing',
        url: failing!.url,
        events: ['message.failed'],
      })
    ).body.data;
    const pending: string[] = [];
    for (let i = 0; i < 4; i++) {
      const triggered = await api('POST', '/v1/events', { route_id: route.id, event: 'message.failed', data: { i } });
      pending.push(
        triggered.body.data.deliveries.find((d: { webhook_id: string }) => d.webhook_id === failingHook.id).id,
      );
    }
    // One more, to retry by hand once it waits for its second attempt (its first attempt record named).
    const toRetry = (
      await api('POST', '/v1/events', { route_id: route.id, event: 'message.failed', data: { retry: true } })
    ).body.data.deliveries.find((d: { webhook_id: string }) => d.webhook_id === failingHook.id);
    let retryable: { id: string } | undefined;
    for (let tries = 0; !retryable; tries++) {
      assert.ok(tries < 400, 'the delivery to retry never started waiting');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const history = await ctx.system.client.workflow.getHandle(toRetry.workflow_id).fetchHistory();
      if (!history.events?.some((e) => e.timerStartedEventAttributes)) continue;
      const attempts = (await api('GET', `/v1/webhooks/${failingHook.id}/deliveries?filter[status]=server_error`)).body;
      retryable = attempts.data.find((a: { delivery_id: string }) => a.delivery_id === toRetry.id);
    }
    for (const id of pending.slice(1)) assert.equal((await api('POST', `/v1/deliveries/${id}/cancel`)).status, 200);
    const window = {
      from: new Date(Date.now() - 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
      statuses: ['cancelled'],
    };
    const started = await api('POST', `/v1/webhooks/${failingHook.id}/replays`, { ...window, rate_per_second: 1 });
    const job = started.body.data;
    failing!.answer = () => ({ status: 200 });
    const spareToken = (await api('POST', '/v1/tokens', { name: 'to revoke', scopes: ['trigger'] })).body.data;
    const sparePortal = (await api('POST', '/v1/portal-sessions', { project_id: project.id })).body.data;

    const calls: Record<string, [string, string, unknown?]> = {
      triggerEvent: ['POST', '/v1/events', event],
      triggerEvents: ['POST', '/v1/events/batch', { events: [event] }],
      listProjects: ['GET', '/v1/projects'],
      createProject: ['POST', '/v1/projects', { name: 'Another' }],
      showProject: ['GET', `/v1/projects/${project.id}`],
      updateProject: ['PUT', `/v1/projects/${project.id}`, { name: 'Renamed' }],
      listRoutes: ['GET', `/v1/projects/${project.id}/routes`],
      createRoute: ['POST', `/v1/projects/${project.id}/routes`, { name: 'Second', route_type: 'inbound' }],
      showRoute: ['GET', `/v1/routes/${route.id}`],
      updateRoute: ['PUT', `/v1/routes/${route.id}`, { name: 'Renamed' }],
      listWebhooks: ['GET', '/v1/webhooks'],
      createWebhook: [
        'POST',
        '/v1/webhooks',
        { route_id: route.id, name: 'Second', url: ctx.receiver.url, events: ['message.sent'] },
      ],
      showWebhook: ['GET', `/v1/webhooks/${webhook.id}`],
      updateWebhook: ['PUT', `/v1/webhooks/${webhook.id}`, { name: 'Renamed' }],
      testWebhook: ['POST', `/v1/webhooks/${webhook.id}/test`],
      regenerateWebhookSecret: ['POST', `/v1/webhooks/${webhook.id}/regenerate-secret`, { grace_period_seconds: 60 }],
      listWebhookDeliveries: ['GET', `/v1/webhooks/${webhook.id}/deliveries`],
      showWebhookDelivery: ['GET', `/v1/webhooks/${webhook.id}/deliveries/${test.delivery_id}`],
      retryWebhookDelivery: ['POST', `/v1/webhooks/${failingHook.id}/deliveries/${retryable.id}/retry`],
      showDelivery: ['GET', `/v1/deliveries/${attempt.delivery_id}`],
      cancelDelivery: ['POST', `/v1/deliveries/${pending[0]}/cancel`],
      replayDelivery: ['POST', `/v1/deliveries/${pending[0]}/replay`],
      startBulkReplay: ['POST', `/v1/webhooks/${failingHook.id}/replays`, { ...window, dry_run: true }],
      showReplayJob: ['GET', `/v1/replay-jobs/${job.id}`],
      cancelReplayJob: ['POST', `/v1/replay-jobs/${job.id}/cancel`],
      createPortalSession: ['POST', '/v1/portal-sessions', { route_id: route.id, lifetime_seconds: 600 }],
      revokePortalSession: ['DELETE', `/v1/portal-sessions/${sparePortal.id}`],
      deleteWebhook: ['DELETE', `/v1/webhooks/${webhook.id}`],
      deleteRoute: ['DELETE', `/v1/routes/${route.id}`],
      deleteProject: ['DELETE', `/v1/projects/${project.id}`],
      listTokens: ['GET', '/v1/tokens'],
      createToken: ['POST', '/v1/tokens', { name: 'Documented', scopes: ['manage'] }],
      revokeToken: ['DELETE', `/v1/tokens/${spareToken.id}`],
    };
    const operations = apiOperations();
    assert.deepEqual(
      Object.keys(calls).sort(),
      operations.map((op) => op.operationId).sort(),
      'every operation is exercised',
    );
    for (const [operationId, [method, path, body]] of Object.entries(calls)) {
      const op = operations.find((candidate) => candidate.operationId === operationId)!;
      const response = await api(method, path, body);
      const documented = [op.response, op.alternativeResponse].find((r) => r?.status === response.status);
      assert.ok(
        documented,
        `${operationId} answered an undocumented ${response.status}: ${JSON.stringify(response.body)}`,
      );
      const parsed = documented.schema.safeParse(response.body);
      assert.ok(parsed.success, `${operationId}: ${JSON.stringify(parsed.error?.issues)}`);
    }
    const bulkReplay = operations.find((op) => op.operationId === 'startBulkReplay')!.response;
    assert.equal(started.status, bulkReplay.status);
    assert.ok(bulkReplay.schema.safeParse(started.body).success, JSON.stringify(started.body));
  });

  it('serves the interactive reference at /docs from the swagger-ui-dist package, without a network', async () => {
    const page = await fetch(`${ctx.system.baseUrl}/docs`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    const html = await page.text();
    assert.match(html, /<div id="swagger-ui"><\/div>/);
    for (const asset of [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]!)) {
      const response = await fetch(`${ctx.system.baseUrl}${asset}`);
      assert.equal(response.status, 200, asset);
      await response.arrayBuffer();
    }
    const bundle = await fetch(`${ctx.system.baseUrl}/docs/swagger-ui-bundle.js`);
    assert.match(bundle.headers.get('content-type')!, /javascript/);
    assert.ok((await bundle.text()).includes('SwaggerUIBundle'));
    const initializer = await (await fetch(`${ctx.system.baseUrl}/docs/tidehook-initializer.js`)).text();
    assert.match(initializer, /url: '\/v1\/openapi\.json'/);
    assert.equal((await fetch(`${ctx.system.baseUrl}/docs/`)).status, 200);
  });
});
