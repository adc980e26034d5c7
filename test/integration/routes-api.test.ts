import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cursorPageSchema } from '../../src/api/schemas/page-schemas';
import { deriveSlug } from '../../src/api/derive-slug';
import { routeSchema } from '../../src/api/schemas/route-schemas';
import { expectStatus, expectValidation } from '../support/system/api-assertions';
import { useTestSystem } from '../support/system/use-test-system';

describe('routes API', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });
  const { api } = ctx;

  const newProject = async () => (await api('POST', '/v1/projects', { name: 'Project' })).body.data as { id: string };
  const newWebhook = async (routeId: string) =>
    (
      await api('POST', '/v1/webhooks', {
        route_id: routeId,
        name: 'Hook',
        url: ctx.receiver.url,
        events: ['message.sent'],
      })
    ).body.data as { id: string };

  it('creates a route with a slug derived from its name; the first route of a project is its default', async () => {
    const project = await newProject();
    const first = await api('POST', `/v1/projects/${project.id}/routes`, {
      name: 'Transactional (EU) – Ünïcode',
      route_type: 'transactional',
    });
    expectStatus(first, 201);
    assert.equal(first.body.message, 'Route created successfully.');
    const route = routeSchema.parse(first.body.data);
    assert.equal(route.slug, 'transactional-eu-unicode');
    assert.equal(route.project_id, project.id);
    assert.equal(route.route_type, 'transactional');
    assert.equal(route.is_default, true);
    assert.equal(route.webhooks_count, 0);

    const second = await api('POST', `/v1/projects/${project.id}/routes`, {
      name: 'Newsletter',
      route_type: 'broadcast',
      slug: 'news',
    });
    expectStatus(second, 201);
    assert.equal(second.body.data.slug, 'news');
    assert.equal(second.body.data.is_default, false);
  });

  it('derives "route" for a name without letters or digits', () => {
    assert.equal(deriveSlug('!!! ???'), 'route');
    assert.equal(deriveSlug('  Inbound  mail  '), 'inbound-mail');
  });

  it('keeps slugs unique within a project (422), but not across projects or after a delete', async () => {
    const project = await newProject();
    const created = (
      await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Outgoing', route_type: 'transactional' })
    ).body.data;

    const explicitClash = await api('POST', `/v1/projects/${project.id}/routes`, {
      name: 'Other',
      route_type: 'broadcast',
      slug: 'outgoing',
    });
    expectValidation(explicitClash, { slug: ['The slug has already been taken.'] });

    const derivedClash = await api('POST', `/v1/projects/${project.id}/routes`, {
      name: 'OUTGOING',
      route_type: 'broadcast',
    });
    expectStatus(derivedClash, 422);
    assert.match(derivedClash.body.errors.slug[0], /already been taken.*explicit slug/);

    const otherProject = await newProject();
    expectStatus(
      await api('POST', `/v1/projects/${otherProject.id}/routes`, { name: 'Outgoing', route_type: 'transactional' }),
      201,
    );

    expectStatus(await api('DELETE', `/v1/routes/${created.id}`), 200);
    expectStatus(
      await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Outgoing', route_type: 'inbound' }),
      201,
    );
  });

  it('rejects invalid route input with 422 by field', async () => {
    const project = await newProject();
    const response = await api('POST', `/v1/projects/${project.id}/routes`, {
      route_type: 'sms',
      slug: 'Not A Slug',
      extra: 1,
    });
    expectValidation(response, {
      name: ['The name field is required.'],
      route_type: ['The selected route type is invalid.'],
      slug: ['The slug field must contain only lowercase letters, digits and single dashes between them.'],
      extra: ['The extra field is not allowed.'],
    });
  });

  it("lists a project's routes as a cursor page with their webhook counts", async () => {
    const project = await newProject();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      ids.push(
        (await api('POST', `/v1/projects/${project.id}/routes`, { name, route_type: 'transactional' })).body.data.id,
      );
    }
    await newWebhook(ids[1]!);
    await newWebhook(ids[1]!);
    const deletedHook = await newWebhook(ids[1]!);
    expectStatus(await api('DELETE', `/v1/webhooks/${deletedHook.id}`), 200);

    const page = await api('GET', `/v1/projects/${project.id}/routes?page[size]=2`);
    expectStatus(page, 200);
    const parsed = cursorPageSchema(routeSchema).parse(page.body);
    assert.deepEqual(
      parsed.data.map((r) => r.name),
      ['c', 'b'],
    );
    assert.equal(parsed.data[1]!.webhooks_count, 2, 'live webhooks only');
    assert.equal(parsed.path, `${ctx.system.baseUrl}/v1/projects/${project.id}/routes`);
    const next = await api('GET', new URL(parsed.next_page_url!).pathname + new URL(parsed.next_page_url!).search);
    assert.deepEqual(
      next.body.data.map((r: { name: string }) => r.name),
      ['a'],
    );
    assert.equal(next.body.next_cursor, null);

    expectStatus(await api('GET', `/v1/projects/${randomUUID()}/routes`), 404);
    expectStatus(await api('GET', `/v1/projects/${project.id}/routes?page[size]=500`), 422);
  });

  it('shows a route bare and answers 404 for unknown or malformed ids', async () => {
    const project = await newProject();
    const created = (await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Shown', route_type: 'inbound' }))
      .body.data;
    const shown = await api('GET', `/v1/routes/${created.id}`);
    expectStatus(shown, 200);
    assert.deepEqual(shown.body, created);
    for (const id of [randomUUID(), 'nope']) {
      for (const [method, body] of [['GET'], ['PUT', { name: 'x' }], ['DELETE']] as const) {
        const response = await api(method, `/v1/routes/${id}`, body);
        expectStatus(response, 404);
        assert.deepEqual(response.body, { message: 'Route not found.' });
      }
    }
  });

  it('updates name and slug, keeps the type fixed and refuses a slug already taken', async () => {
    const project = await newProject();
    const route = (await api('POST', `/v1/projects/${project.id}/routes`, { name: 'One', route_type: 'transactional' }))
      .body.data;
    await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Two', route_type: 'transactional' });

    const renamed = await api('PUT', `/v1/routes/${route.id}`, { name: 'Uno' });
    expectStatus(renamed, 200);
    assert.equal(renamed.body.message, 'Route updated successfully.');
    assert.equal(renamed.body.data.name, 'Uno');
    assert.equal(renamed.body.data.slug, 'one', 'a rename keeps the slug');

    const reslugged = await api('PUT', `/v1/routes/${route.id}`, { slug: 'uno' });
    expectStatus(reslugged, 200);
    assert.equal(reslugged.body.data.slug, 'uno');

    const clash = await api('PUT', `/v1/routes/${route.id}`, { slug: 'two' });
    expectValidation(clash, { slug: ['The slug has already been taken.'] });

    const retype = await api('PUT', `/v1/routes/${route.id}`, { route_type: 'broadcast' });
    expectValidation(retype, { route_type: ['The route type field is not allowed.'] });
  });

  it('deletes a route with its webhooks and stops their pending deliveries', async () => {
    const project = await newProject();
    const route = (
      await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Doomed', route_type: 'transactional' })
    ).body.data;
    const webhook = await newWebhook(route.id);
    ctx.receiver.requests.length = 0;
    ctx.receiver.answer = () => ({ status: 503 });
    const triggered = await api('POST', '/v1/events', { route_id: route.id, event: 'message.sent', data: {} });
    expectStatus(triggered, 202);
    const [delivery] = triggered.body.data.deliveries;
    await ctx.receiver.waitForRequests(1);

    const response = await api('DELETE', `/v1/routes/${route.id}`);
    expectStatus(response, 200);
    assert.deepEqual(response.body, { message: 'Route deleted successfully.', cancelled_deliveries: 1 });
    const row = await ctx.system.database.db('deliveries').where({ id: delivery.id }).first();
    assert.equal(row.status, 'cancelled');
    assert.equal(row.status_reason, 'route deleted');
    await ctx.system.client.workflow
      .getHandle(delivery.workflow_id)
      .result()
      .catch(() => undefined);
    assert.equal(ctx.receiver.requests.length, 1);

    expectStatus(await api('GET', `/v1/routes/${route.id}`), 404);
    expectStatus(await api('GET', `/v1/webhooks/${webhook.id}`), 404);
    const created = await api('POST', '/v1/webhooks', {
      route_id: route.id,
      name: 'Late',
      url: ctx.receiver.url,
      events: ['message.sent'],
    });
    expectValidation(created, { route_id: ['The selected route id is invalid.'] });
    const triggerAfter = await api('POST', '/v1/events', { route_id: route.id, event: 'message.sent', data: {} });
    expectStatus(triggerAfter, 404);
  });
});
