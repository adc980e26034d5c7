import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cursorPageSchema } from '../../src/api/schemas/page-schemas';
import { webhookListItemSchema } from '../../src/api/schemas/webhook-schemas';
import { createRoute, createTenant, type Tenant } from '../support/system/fixtures';
import { expectStatus } from '../support/system/api-assertions';
import { useTestSystem } from '../support/system/use-test-system';

describe('webhooks API: list, filters and page URLs', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping' });
  const { api } = ctx;

  let lister: Tenant;
  let secondRoute: string;
  /** Webhook id → name, to assert on readable names. */
  const names: Record<string, string> = {};

  before(async () => {
    lister = await createTenant(ctx.system.database.db);
    secondRoute = await createRoute(ctx.system.database.db, lister.teamId, lister.projectId);
    const specs = [
      {
        name: 'Billing',
        url: 'https://billing.example.com/hook',
        events: ['message.delivered'],
        route_id: lister.routeId,
      },
      {
        name: 'Analytics',
        url: 'https://stats.example.com/in',
        events: ['message.opened', 'message.clicked'],
        route_id: lister.routeId,
        enabled: false,
      },
      {
        name: 'CRM 100%_sync',
        url: 'https://crm.example.org/BILLING',
        events: ['message.delivered', 'message.opened'],
        route_id: secondRoute,
      },
    ];
    for (const spec of specs) {
      const response = await api('POST', '/v1/webhooks', spec, lister.token);
      expectStatus(response, 201);
      names[response.body.data.id] = spec.name;
    }
  });

  const listNames = async (query: string) => {
    const response = await api('GET', `/v1/webhooks${query}`, undefined, lister.token);
    expectStatus(response, 200);
    return (response.body.data as Array<{ id: string }>).map((w) => names[w.id]);
  };

  it('lists webhooks newest first without secrets or include_machine_events', async () => {
    const response = await api('GET', '/v1/webhooks', undefined, lister.token);
    expectStatus(response, 200);
    const page = cursorPageSchema(webhookListItemSchema).parse(response.body);
    assert.deepEqual(
      page.data.map((w) => names[w.id]),
      ['CRM 100%_sync', 'Analytics', 'Billing'],
    );
    assert.equal(page.per_page, 30);
    assert.equal(page.next_cursor, null);
    for (const item of response.body.data) {
      assert.equal('secret' in item, false);
      assert.equal('include_machine_events' in item, false);
    }
  });

  it('filters by route, enabled, event and a case-insensitive search of name or url', async () => {
    assert.deepEqual(await listNames(`?filter[route_id]=${secondRoute}`), ['CRM 100%_sync']);
    assert.deepEqual(await listNames(`?filter[route_id]=${randomUUID()}`), []);
    assert.deepEqual(await listNames('?filter[enabled]=false'), ['Analytics']);
    assert.deepEqual(await listNames('?filter[enabled]=1&sort=created_at'), ['Billing', 'CRM 100%_sync']);
    assert.deepEqual(await listNames('?filter[event]=message.opened'), ['CRM 100%_sync', 'Analytics']);
    assert.deepEqual(await listNames('?filter[search]=billing'), ['CRM 100%_sync', 'Billing']);
    assert.deepEqual(await listNames('?filter[search]=STATS.example'), ['Analytics']);
    assert.deepEqual(await listNames(`?filter[search]=${encodeURIComponent('100%_')}`), ['CRM 100%_sync']);
    assert.deepEqual(await listNames(`?filter[search]=${encodeURIComponent('%')}`), ['CRM 100%_sync'], '% is literal');
    assert.deepEqual(
      await listNames(`?filter[search]=billing&filter[enabled]=true&filter[route_id]=${lister.routeId}`),
      ['Billing'],
    );
  });

  it('keeps the filters in the page URLs', async () => {
    const response = await api(
      'GET',
      '/v1/webhooks?filter[event]=message.delivered&page[size]=1',
      undefined,
      lister.token,
    );
    const next = new URL(response.body.next_page_url);
    assert.equal(next.searchParams.get('filter[event]'), 'message.delivered');
    assert.equal(next.searchParams.get('page[size]'), '1');
    const second = await api('GET', next.pathname + next.search, undefined, lister.token);
    assert.deepEqual(
      second.body.data.map((w: { id: string }) => names[w.id]),
      ['Billing'],
    );
  });

  describe('sorted by name, url and created_at', () => {
    let sorter: Tenant;
    let rows: Array<{ id: string; name: string; url: string; created_at: string }>;
    const get = (path: string) => api('GET', path, undefined, sorter.token);

    before(async () => {
      sorter = await createTenant(ctx.system.database.db);
      // Lower-case letters only, URLs of one length: the expected order is the same under any collation.
      const names = ['bravo', 'alpha', 'bravo', 'charlie', 'alpha', 'bravo', 'delta', 'alpha', 'charlie'];
      const paths = ['c', 'a', 'b', 'a', 'c', 'b', 'a', 'd', 'c'];
      for (const [i, name] of names.entries()) {
        const created = await api(
          'POST',
          '/v1/webhooks',
          { route_id: sorter.routeId, name, url: `https://hooks.example.com/${paths[i]}`, events: ['message.sent'] },
          sorter.token,
        );
        expectStatus(created, 201);
      }
      rows = await ctx.system.database
        .db('webhooks')
        .where({ team_id: sorter.teamId })
        .select(
          'id',
          'name',
          'url',
          ctx.system.database.db.raw(
            `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created_at`,
          ),
        );
    });

    /** Follows next_cursor in the bare `cursor` parameter, as the generated SDKs' iterate() does. */
    async function iterate(query: string): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 20; pages++) {
        const response = await get(`/v1/webhooks?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expectStatus(response, 200);
        ids.push(...response.body.data.map((w: { id: string }) => w.id));
        cursor = response.body.next_cursor;
        if (!cursor) return ids;
      }
      throw new Error('the cursor never reached an end');
    }

    it('orders by every key and combination, each way, ties broken by id, with no row skipped or repeated', async () => {
      for (const sort of [
        'name',
        '-name',
        'url',
        '-url',
        'created_at',
        '-created_at',
        'name,-created_at',
        '-name,url',
        'url,name',
        '-url,-name,created_at',
      ]) {
        const keys = sort.split(',').map((part) => ({
          key: part.replace(/^-/, '') as 'name' | 'url' | 'created_at',
          sign: part.startsWith('-') ? -1 : 1,
        }));
        const lastSign = keys[keys.length - 1]!.sign;
        const want = [...rows]
          .sort((x, y) => {
            for (const { key, sign } of keys) if (x[key] !== y[key]) return (x[key] < y[key] ? -1 : 1) * sign;
            return (x.id < y.id ? -1 : 1) * lastSign;
          })
          .map((row) => row.id);
        assert.deepEqual(await iterate(`sort=${sort}&page[size]=2`), want, sort);
        // And by following next_page_url, which carries the sort and the cursor.
        const followed: string[] = [];
        let url: string | null = `/v1/webhooks?sort=${sort}&page[size]=4`;
        while (url) {
          const response = await get(url);
          followed.push(...response.body.data.map((w: { id: string }) => w.id));
          url =
            response.body.next_page_url &&
            new URL(response.body.next_page_url).pathname + new URL(response.body.next_page_url).search;
        }
        assert.deepEqual(followed, want, `${sort} via next_page_url`);
      }
    });

    it('refuses a sort key it does not have, a key twice, and a cursor made under another sort', async () => {
      for (const sort of ['events', '-enabled', 'name,name', 'name,', '']) {
        const response = await get(`/v1/webhooks?sort=${sort}`);
        expectStatus(response, 422);
        assert.deepEqual(response.body.errors, { sort: ['The selected sort is invalid.'] }, sort);
      }
      const first = await get('/v1/webhooks?sort=name&page[size]=2');
      const response = await get(`/v1/webhooks?sort=url&cursor=${encodeURIComponent(first.body.next_cursor)}`);
      expectStatus(response, 422);
      assert.deepEqual(response.body.errors, {
        cursor: ['The cursor was made for sort=name; send that sort with it, or start again without a cursor.'],
      });
    });
  });

  it('rejects bad or unknown filters with 422', async () => {
    const cases: Array<[string, string, string]> = [
      ['filter[enabled]=maybe', 'filter.enabled', 'The selected filter.enabled is invalid.'],
      ['filter[event]=message.teleported', 'filter.event', 'The selected filter.event is invalid.'],
      ['filter[route_id]=abc', 'filter.route_id', 'The filter.route id field must be a valid UUID.'],
      ['filter[colour]=red', 'filter.colour', 'The filter.colour field is not allowed.'],
      ['filter[project]=abc', 'filter.project', 'The filter.project field must be a valid UUID.'],
      ['filter[scope]=global', 'filter.scope', 'The selected filter.scope is invalid.'],
      [
        'filter[event]=message.sent&filter[event]=message.opened',
        'filter.event',
        'The selected filter.event is invalid.',
      ],
    ];
    for (const [query, field, message] of cases) {
      const response = await api('GET', `/v1/webhooks?${query}`, undefined, lister.token);
      expectStatus(response, 422);
      assert.deepEqual(response.body.errors, { [field]: [message] }, query);
    }
  });

  it("filters by project (its routes' webhooks) and by scope (every webhook is route-scoped)", async () => {
    // A team of its own, so the other tests' webhooks stay as they are.
    const tenant = await createTenant(ctx.system.database.db);
    const otherProject = randomUUID();
    await ctx.system.database.db('projects').insert({ id: otherProject, team_id: tenant.teamId, name: 'Other' });
    const otherRoute = await createRoute(ctx.system.database.db, tenant.teamId, otherProject);
    const sameProjectRoute = await createRoute(ctx.system.database.db, tenant.teamId, tenant.projectId);
    const ids: Record<string, string> = {};
    for (const [name, routeId] of [
      ['first', tenant.routeId],
      ['second', sameProjectRoute],
      ['other', otherRoute],
    ] as const) {
      const body = { name, url: `https://${name}.example.com/hook`, events: ['message.sent'], route_id: routeId };
      const response = await api('POST', '/v1/webhooks', body, tenant.token);
      expectStatus(response, 201);
      ids[response.body.data.id] = name;
    }
    const list = async (query: string) => {
      const response = await api('GET', `/v1/webhooks?sort=name&${query}`, undefined, tenant.token);
      expectStatus(response, 200);
      return (response.body.data as Array<{ id: string }>).map((w) => ids[w.id]);
    };
    assert.deepEqual(await list(`filter[project]=${tenant.projectId}`), ['first', 'second']);
    assert.deepEqual(await list(`filter[project]=${otherProject}`), ['other']);
    assert.deepEqual(await list(`filter[project]=${otherProject}&filter[route_id]=${tenant.routeId}`), []);
    assert.deepEqual(await list(`filter[project]=${lister.projectId}`), [], "another team's project matches nothing");
    assert.deepEqual(await list(`filter[project]=${randomUUID()}`), []);
    assert.deepEqual(await list('filter[scope]=route'), ['first', 'other', 'second']);
    assert.deepEqual(await list(`filter[scope]=route&filter[project]=${otherProject}`), ['other']);
    assert.deepEqual(await list('filter[scope]=team'), []);
    assert.deepEqual(await list('filter[scope]=project'), []);
  });
});
