import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cursorPageSchema } from '../../src/api/schemas/page-schemas';
import { projectSchema } from '../../src/api/schemas/project-schemas';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { expectStatus, expectValidation } from '../support/system/api-assertions';
import { useTestSystem } from '../support/system/use-test-system';

describe('projects API', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });
  const { api } = ctx;

  it('creates a project and answers 201 with it and a message', async () => {
    const response = await api('POST', '/v1/projects', { name: '  Marketing site  ' });
    expectStatus(response, 201);
    assert.equal(response.body.message, 'Project created successfully.');
    const project = projectSchema.parse(response.body.data);
    assert.equal(project.name, 'Marketing site');
    assert.equal(project.created_at, project.updated_at);
  });

  it('shows a project bare, without a data wrapper', async () => {
    const created = (await api('POST', '/v1/projects', { name: 'Shown' })).body.data;
    const response = await api('GET', `/v1/projects/${created.id}`);
    expectStatus(response, 200);
    assert.deepEqual(response.body, created);
  });

  it('renames a project and moves its updated_at', async () => {
    const created = (await api('POST', '/v1/projects', { name: 'Old name' })).body.data;
    const response = await api('PUT', `/v1/projects/${created.id}`, { name: 'New name' });
    expectStatus(response, 200);
    assert.equal(response.body.message, 'Project updated successfully.');
    assert.equal(response.body.data.name, 'New name');
    assert.equal(response.body.data.created_at, created.created_at);
    assert.ok(response.body.data.updated_at >= created.updated_at);
    assert.equal((await api('GET', `/v1/projects/${created.id}`)).body.name, 'New name');
  });

  it('accepts an update without changes', async () => {
    const created = (await api('POST', '/v1/projects', { name: 'Unchanged' })).body.data;
    const response = await api('PUT', `/v1/projects/${created.id}`, {});
    expectStatus(response, 200);
    assert.equal(response.body.data.name, 'Unchanged');
  });

  it('rejects a missing, blank or too long name and unknown fields with 422 by field', async () => {
    const missing = await api('POST', '/v1/projects', {});
    expectValidation(missing, { name: ['The name field is required.'] }, 'The name field is required.');

    const blank = await api('POST', '/v1/projects', { name: '   ' });
    expectValidation(blank, { name: ['The name field is required.'] });

    const long = await api('POST', '/v1/projects', { name: 'x'.repeat(256), colour: 'blue' });
    expectValidation(
      long,
      {
        name: ['The name field must not be greater than 255 characters.'],
        colour: ['The colour field is not allowed.'],
      },
      'The name field must not be greater than 255 characters. (and 1 more error)',
    );

    const wrongType = await api('POST', '/v1/projects', { name: 42 });
    expectValidation(wrongType, { name: ['The name field must be a string.'] });

    const created = (await api('POST', '/v1/projects', { name: 'Valid' })).body.data;
    const badUpdate = await api('PUT', `/v1/projects/${created.id}`, { name: '' });
    expectStatus(badUpdate, 422);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await ctx.system.api('POST', '/v1/projects', { token: ctx.tenant.token, rawBody: '{"name":' });
    expectStatus(response, 400);
    assert.deepEqual(response.body, {
      message: 'Malformed JSON in request body.',
      error: 'Malformed JSON in request body.',
    });
  });

  it('answers 404 for an unknown or malformed project id on show, update and delete', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      for (const [method, body] of [['GET'], ['PUT', { name: 'x' }], ['DELETE']] as const) {
        const response = await api(method, `/v1/projects/${id}`, body);
        expectStatus(response, 404);
        assert.deepEqual(response.body, { message: 'Project not found.' });
      }
    }
  });

  it('lists projects as a cursor page, newest first, forward and back', async () => {
    const fresh = await createTenant(ctx.system.database.db);
    const names = ['p1', 'p2', 'p3', 'p4', 'p5'];
    for (const name of names) await ctx.system.api('POST', '/v1/projects', { token: fresh.token, body: { name } });
    const list = (query: string) => ctx.system.api('GET', `/v1/projects${query}`, { token: fresh.token });

    const first = await list('?page[size]=2');
    expectStatus(first, 200);
    const page = cursorPageSchema(projectSchema).parse(first.body);
    // createTenant's own project is the oldest.
    assert.deepEqual(
      page.data.map((p) => p.name),
      ['p5', 'p4'],
    );
    assert.equal(page.per_page, 2);
    assert.equal(page.path, `${ctx.system.baseUrl}/v1/projects`);
    assert.equal(page.prev_cursor, null);
    assert.equal(page.prev_page_url, null);
    assert.ok(page.next_cursor && page.next_page_url);

    const second = await list(`?page[size]=2&page[cursor]=${page.next_cursor}`);
    assert.deepEqual(
      second.body.data.map((p: { name: string }) => p.name),
      ['p3', 'p2'],
    );
    const third = await list(`?page[size]=2&page[cursor]=${second.body.next_cursor}`);
    assert.deepEqual(
      third.body.data.map((p: { name: string }) => p.name),
      ['p1', 'Project'],
    );
    assert.equal(third.body.next_cursor, null);

    const back = await list(`?page[size]=2&page[cursor]=${third.body.prev_cursor}`);
    assert.deepEqual(
      back.body.data.map((p: { name: string }) => p.name),
      ['p3', 'p2'],
    );
    const backAgain = await list(`?page[size]=2&page[cursor]=${back.body.prev_cursor}`);
    assert.deepEqual(
      backAgain.body.data.map((p: { name: string }) => p.name),
      ['p5', 'p4'],
    );
    assert.equal(backAgain.body.prev_cursor, null);

    const oldestFirst = await list('?sort=created_at&page[size]=3');
    assert.deepEqual(
      oldestFirst.body.data.map((p: { name: string }) => p.name),
      ['Project', 'p1', 'p2'],
    );
  });

  it('rejects bad page parameters with 422', async () => {
    const cases: Array<[string, string]> = [
      ['page[size]=101', 'page.size'],
      ['page[size]=0', 'page.size'],
      ['page[size]=ten', 'page.size'],
      ['page[size]=1.5', 'page.size'],
      ['page[cursor]=garbage', 'page.cursor'],
      ['page[number]=2', 'page.number'],
      ['sort=name', 'sort'],
      ['sort=-updated_at', 'sort'],
    ];
    for (const [query, field] of cases) {
      const response = await api('GET', `/v1/projects?${query}`);
      expectStatus(response, 422);
      assert.ok(response.body.errors[field], `${query}: ${JSON.stringify(response.body)}`);
    }
    const ok = await api('GET', '/v1/projects?page[size]=100&_=123');
    expectStatus(ok, 200);
  });

  it('deletes a project with its routes and webhooks and stops their pending deliveries', async () => {
    const project = (await api('POST', '/v1/projects', { name: 'Doomed' })).body.data;
    const route = (
      await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Outgoing', route_type: 'transactional' })
    ).body.data;
    const webhook = (
      await api('POST', '/v1/webhooks', {
        route_id: route.id,
        name: 'Hook',
        url: ctx.receiver.url,
        events: ['message.delivered'],
      })
    ).body.data;
    ctx.receiver.answer = () => ({ status: 500 });
    const triggered = await api('POST', '/v1/events', { route_id: route.id, event: 'message.delivered', data: {} });
    expectStatus(triggered, 202);
    const [delivery] = triggered.body.data.deliveries;
    await ctx.receiver.waitForRequests(1);

    const response = await api('DELETE', `/v1/projects/${project.id}`);
    expectStatus(response, 200);
    assert.deepEqual(response.body, { message: 'Project deleted successfully.', cancelled_deliveries: 1 });

    const row = await ctx.system.database.db('deliveries').where({ id: delivery.id }).first();
    assert.equal(row.status, 'cancelled');
    assert.equal(row.status_reason, 'project deleted');
    await ctx.system.client.workflow
      .getHandle(delivery.workflow_id)
      .result()
      .catch(() => undefined);
    assert.equal(ctx.receiver.requests.length, 1, 'no attempt after the delete');

    expectStatus(await api('GET', `/v1/projects/${project.id}`), 404);
    expectStatus(await api('GET', `/v1/routes/${route.id}`), 404);
    expectStatus(await api('GET', `/v1/webhooks/${webhook.id}`), 404);
    expectStatus(await api('DELETE', `/v1/projects/${project.id}`), 404);
    expectStatus(
      await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Late', route_type: 'broadcast' }),
      404,
    );
    const listed = await api('GET', '/v1/projects?page[size]=100');
    assert.ok(!listed.body.data.some((p: { id: string }) => p.id === project.id));
    // Soft deletes: the rows and their history stay for the deliveries that point at them.
    assert.ok((await ctx.system.database.db('webhooks').where({ id: webhook.id }).first()).deleted_at);
  });

  it('leaves the webhooks of other projects alone when a project is deleted', async () => {
    const tenant = await createTenant(ctx.system.database.db);
    const survivor = await createWebhookRow(ctx.system.database.db, {
      teamId: tenant.teamId,
      routeId: tenant.routeId,
      url: ctx.receiver.url,
    });
    const other = (await ctx.system.api('POST', '/v1/projects', { token: tenant.token, body: { name: 'Other' } })).body
      .data;
    expectStatus(await ctx.system.api('DELETE', `/v1/projects/${other.id}`, { token: tenant.token }), 200);
    expectStatus(await ctx.system.api('GET', `/v1/webhooks/${survivor.id}`, { token: tenant.token }), 200);
  });
});
