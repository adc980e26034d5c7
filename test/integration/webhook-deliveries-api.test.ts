import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cursorPageSchema } from '../../src/api/schemas/page-schemas';
import { attemptDetailSchema, attemptSummarySchema } from '../../src/api/schemas/webhook-delivery-schemas';
import { createWebhookRow } from '../support/system/fixtures';
import { seedAttempts } from '../support/system/seed-attempts';
import type { ApiResponse } from '../support/system/test-system';
import { expectStatus } from '../support/system/api-assertions';
import { useTestSystem } from '../support/system/use-test-system';

describe('webhook deliveries (attempt history) API', function () {
  this.timeout(60_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });
  const { api } = ctx;

  const get = (path: string) => api('GET', path);
  const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

  /** Follows `next_page_url` (or `prev_page_url` when going back) to the end; answers each page's ids and the last page. */
  async function walk(first: string, direction: 'next' | 'prev') {
    const pages: string[][] = [];
    let url: string | null = first;
    let last: ApiResponse | undefined;
    while (url) {
      assert.ok(pages.length < 20, 'the cursor never reached an end');
      last = await get(url);
      expectStatus(last, 200);
      pages.push(last.body.data.map((a: { id: string }) => a.id));
      url = last.body[`${direction}_page_url`] ? pathOf(last.body[`${direction}_page_url`]) : null;
    }
    return Object.assign(pages, { last: last! });
  }

  describe('over 150 attempt records', () => {
    let webhookId: string;
    let expected: string[];

    before(async () => {
      webhookId = (
        await createWebhookRow(ctx.system.database.db, {
          teamId: ctx.tenant.teamId,
          routeId: ctx.tenant.routeId,
          url: ctx.receiver.url,
        })
      ).id;
      expected = await seedAttempts(ctx.system.database.db, ctx.tenant, webhookId, 150);
    });

    it('pages through all of them forward and back with the largest page size', async () => {
      const base = `/v1/webhooks/${webhookId}/deliveries`;
      const first = await get(`${base}?page[size]=100`);
      const page = cursorPageSchema(attemptSummarySchema).parse(first.body);
      assert.deepEqual(
        page.data.map((a) => a.id),
        expected.slice(0, 100),
      );
      assert.equal(page.per_page, 100);
      assert.equal(page.prev_cursor, null);

      const second = await get(pathOf(page.next_page_url!));
      assert.deepEqual(
        second.body.data.map((a: { id: string }) => a.id),
        expected.slice(100),
      );
      assert.equal(second.body.next_cursor, null);
      assert.equal(second.body.next_page_url, null);

      const back = await get(pathOf(second.body.prev_page_url));
      assert.deepEqual(
        back.body.data.map((a: { id: string }) => a.id),
        expected.slice(0, 100),
      );
      assert.equal(back.body.prev_cursor, null);
      assert.ok(back.body.next_cursor);
    });

    it('walks 30 at a time to the end and back to the start without skipping or repeating a row', async () => {
      const forward = await walk(`/v1/webhooks/${webhookId}/deliveries`, 'next');
      assert.deepEqual(
        forward.map((p) => p.length),
        [30, 30, 30, 30, 30],
      );
      assert.deepEqual(forward.flat(), expected);

      const backward = await walk(pathOf(forward.last.body.prev_page_url), 'prev');
      assert.deepEqual(
        backward.map((p) => p.length),
        [30, 30, 30, 30],
      );
      assert.deepEqual(backward.reverse().flat(), expected.slice(0, 120));
    });

    it('sorts oldest first with sort=created_at, in both directions', async () => {
      const forward = await walk(`/v1/webhooks/${webhookId}/deliveries?sort=created_at&page[size]=40`, 'next');
      assert.deepEqual(forward.flat(), [...expected].reverse());
      assert.deepEqual(
        forward.map((p) => p.length),
        [40, 40, 40, 30],
      );
      const previous = await get(pathOf(forward.last.body.prev_page_url));
      assert.deepEqual(
        previous.body.data.map((a: { id: string }) => a.id),
        [...expected].reverse().slice(80, 120),
      );
      assert.ok(previous.body.next_page_url);
    });

    it("pages with a bare cursor, as Lettermint's SDKs send it, and writes cursor= into the page URLs", async () => {
      const base = `/v1/webhooks/${webhookId}/deliveries?page[size]=40`;
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const response: ApiResponse = await get(cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base);
        expectStatus(response, 200);
        ids.push(...response.body.data.map((a: { id: string }) => a.id));
        cursor = response.body.next_cursor;
        if (!cursor) break;
        const next = new URL(response.body.next_page_url);
        assert.equal(next.searchParams.get('cursor'), cursor);
        assert.equal(next.searchParams.has('page[cursor]'), false);
      }
      assert.equal(cursor, null);
      assert.deepEqual(ids, expected);
    });

    it('accepts cursor and page[cursor] together when they agree, and names cursor when they differ', async () => {
      const base = `/v1/webhooks/${webhookId}/deliveries?page[size]=40`;
      const first = await get(base);
      const second = await get(pathOf(first.body.next_page_url));
      const a = encodeURIComponent(first.body.next_cursor);
      const b = encodeURIComponent(second.body.next_cursor);
      const both = await get(`${base}&cursor=${a}&page[cursor]=${a}`);
      expectStatus(both, 200);
      assert.deepEqual(both.body.data, second.body.data);
      const differ = await get(`${base}&cursor=${a}&page[cursor]=${b}`);
      expectStatus(differ, 422);
      assert.deepEqual(differ.body.errors, {
        cursor: ['The cursor and page.cursor fields name different pages; send one of them.'],
      });
      const garbage = await get(`${base}&cursor=not-a-cursor`);
      expectStatus(garbage, 422);
      assert.deepEqual(garbage.body.errors, { cursor: ['The cursor is invalid.'] });
    });

    it('sorts by attempt_number and created_at, alone or combined, each way, ties broken by id, across pages', async () => {
      const rows: Array<{ id: string; attempt_number: number; created_at: string }> = await ctx.system.database
        .db('attempts')
        .where({ webhook_id: webhookId })
        .select(
          'id',
          'attempt_number',
          ctx.system.database.db.raw(
            `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created_at`,
          ),
        );
      for (const sort of [
        'attempt_number',
        '-attempt_number',
        'attempt_number,-created_at',
        '-attempt_number,created_at',
        '-created_at,attempt_number',
        'created_at',
      ]) {
        const keys = sort.split(',').map((part) => ({
          key: part.replace(/^-/, '') as 'attempt_number' | 'created_at',
          sign: part.startsWith('-') ? -1 : 1,
        }));
        const lastSign = keys[keys.length - 1]!.sign;
        const want = [...rows]
          .sort((x, y) => {
            for (const { key, sign } of keys) {
              if (x[key] !== y[key]) return (x[key] < y[key] ? -1 : 1) * sign;
            }
            return (x.id < y.id ? -1 : 1) * lastSign;
          })
          .map((row) => row.id);
        const forward = await walk(`/v1/webhooks/${webhookId}/deliveries?sort=${sort}&page[size]=17`, 'next');
        assert.deepEqual(forward.flat(), want, sort);
        const backward = await walk(pathOf(forward.last.body.prev_page_url), 'prev');
        assert.deepEqual(
          backward.reverse().flat(),
          want.slice(0, want.length - forward.last.body.data.length),
          `${sort} backwards`,
        );
      }
    });

    it('refuses a cursor made under another sort with 422, naming the parameter it came in', async () => {
      const first = await get(`/v1/webhooks/${webhookId}/deliveries?sort=attempt_number&page[size]=5`);
      const cursor = encodeURIComponent(first.body.next_cursor);
      for (const [query, field] of [
        [`cursor=${cursor}`, 'cursor'],
        [`page[cursor]=${cursor}`, 'page.cursor'],
      ] as const) {
        const response = await get(`/v1/webhooks/${webhookId}/deliveries?sort=-attempt_number&${query}`);
        expectStatus(response, 422);
        assert.deepEqual(response.body.errors, {
          [field]: [
            `The ${field} was made for sort=attempt_number; send that sort with it, or start again without a cursor.`,
          ],
        });
      }
    });

    it('filters by status and event type', async () => {
      const success = await walk(`/v1/webhooks/${webhookId}/deliveries?filter[status]=success&page[size]=100`, 'next');
      assert.equal(success.flat().length, 50);
      const sent = await walk(
        `/v1/webhooks/${webhookId}/deliveries?filter[event_type]=message.sent&page[size]=100`,
        'next',
      );
      assert.equal(sent.flat().length, 70);
      const both = await get(
        `/v1/webhooks/${webhookId}/deliveries?filter[event_type]=message.sent&filter[status]=client_error&page[size]=100`,
      );
      assert.ok(
        both.body.data.every(
          (a: { status: string; event_type: string }) => a.status === 'client_error' && a.event_type === 'message.sent',
        ),
      );
      assert.equal(both.body.data.length, 24);
    });

    it('filters by from_date and to_date, as days or as instants', async () => {
      const count = async (query: string) =>
        (await walk(`/v1/webhooks/${webhookId}/deliveries?page[size]=100&${query}`, 'next')).flat().length;
      assert.equal(await count('filter[from_date]=2026-01-01'), 150);
      assert.equal(await count('filter[from_date]=2026-01-02'), 0);
      assert.equal(await count('filter[to_date]=2026-01-01'), 150, 'a date includes its whole day');
      assert.equal(await count('filter[to_date]=2025-12-31'), 0);
      assert.equal(await count('filter[from_date]=2026-01-01&filter[to_date]=2026-01-01'), 150);
      assert.equal(await count('filter[to_date]=2026-01-01T00:00:00Z'), 3, 'an instant is inclusive');
      assert.equal(await count(`filter[from_date]=${encodeURIComponent('2026-01-01T01:00:00.001+01:00')}`), 0);
    });

    it('rejects bad filters, sizes and sorts with 422', async () => {
      const cases: Array<[string, string]> = [
        ['filter[status]=cancelled', 'filter.status'],
        ['filter[event_type]=message.teleported', 'filter.event_type'],
        ['filter[from_date]=yesterday', 'filter.from_date'],
        ['filter[to_date]=2026-13-01', 'filter.to_date'],
        ['filter[from_date]=2026-02-01&filter[to_date]=2026-01-01', 'filter.to_date'],
        ['filter[webhook_id]=x', 'filter.webhook_id'],
        ['page[size]=101', 'page.size'],
        ['sort=status', 'sort'],
        ['sort=name', 'sort'],
        ['sort=attempt_number,attempt_number', 'sort'],
        ['sort=attempt_number,', 'sort'],
      ];
      for (const [query, field] of cases) {
        const response = await get(`/v1/webhooks/${webhookId}/deliveries?${query}`);
        expectStatus(response, 422);
        assert.deepEqual(Object.keys(response.body.errors), [field], `${query}: ${JSON.stringify(response.body)}`);
      }
      const reversed = await get(
        `/v1/webhooks/${webhookId}/deliveries?filter[from_date]=2026-02-01&filter[to_date]=2026-01-01`,
      );
      assert.equal(
        reversed.body.errors['filter.to_date'][0],
        'The to date must be a date after or equal to from date.',
      );
    });

    it('builds page URLs on the public base URL when the operator set one', async () => {
      ctx.system.deps.publicBaseUrl = 'https://hooks.example.com/api/';
      try {
        const response = await get(`/v1/webhooks/${webhookId}/deliveries?page[size]=10&filter[status]=success`);
        assert.equal(response.body.path, `https://hooks.example.com/api/v1/webhooks/${webhookId}/deliveries`);
        const next = new URL(response.body.next_page_url);
        assert.equal(next.origin + next.pathname, response.body.path);
        assert.equal(next.searchParams.get('filter[status]'), 'success');
        assert.equal(next.searchParams.get('cursor'), response.body.next_cursor);
      } finally {
        ctx.system.deps.publicBaseUrl = undefined;
      }
    });
  });

  it('keeps its pages stable while new attempts are recorded', async () => {
    const webhookId = (
      await createWebhookRow(ctx.system.database.db, {
        teamId: ctx.tenant.teamId,
        routeId: ctx.tenant.routeId,
        url: ctx.receiver.url,
      })
    ).id;
    const expected = await seedAttempts(ctx.system.database.db, ctx.tenant, webhookId, 60);
    const first = await get(`/v1/webhooks/${webhookId}/deliveries?page[size]=25`);
    assert.deepEqual(
      first.body.data.map((a: { id: string }) => a.id),
      expected.slice(0, 25),
    );
    const newer = await seedAttempts(ctx.system.database.db, ctx.tenant, webhookId, 20, new Date().toISOString());
    assert.equal(newer.length, 80);
    const second = await get(pathOf(first.body.next_page_url));
    assert.deepEqual(
      second.body.data.map((a: { id: string }) => a.id),
      expected.slice(25, 50),
    );
    const back = await get(pathOf(second.body.prev_page_url));
    assert.deepEqual(
      back.body.data.map((a: { id: string }) => a.id),
      expected.slice(0, 25),
    );
    assert.ok(back.body.prev_cursor, 'the newer rows are now before the first page');
  });

  it('shows one attempt bare with what was sent and what came back', async () => {
    ctx.receiver.answer = () => ({ status: 200, body: '{"received":true}', headers: { 'x-receiver': 'yes' } });
    const webhook = await createWebhookRow(ctx.system.database.db, {
      teamId: ctx.tenant.teamId,
      routeId: ctx.tenant.routeId,
      url: ctx.receiver.url,
      events: ['message.inbound'],
    });
    const triggered = await api('POST', '/v1/events', {
      route_id: ctx.tenant.routeId,
      event: 'message.inbound',
      data: { subject: 'Héllo / ✓' },
    });
    expectStatus(triggered, 202);
    const delivery = triggered.body.data.deliveries.find((d: { webhook_id: string }) => d.webhook_id === webhook.id);
    await ctx.system.client.workflow.getHandle(delivery.workflow_id).result();

    const list = await get(`/v1/webhooks/${webhook.id}/deliveries`);
    assert.equal(list.body.data.length, 1);
    const summary = attemptSummarySchema.parse(list.body.data[0]);
    assert.equal(summary.status, 'success');
    assert.equal(summary.delivery_id, delivery.id);
    assert.equal(summary.event_id, triggered.body.data.id);

    const detail = await get(`/v1/webhooks/${webhook.id}/deliveries/${summary.id}`);
    expectStatus(detail, 200);
    const attempt = attemptDetailSchema.parse(detail.body);
    const received = ctx.receiver.requests.find((r) => JSON.parse(r.body).id === triggered.body.data.id)!;
    assert.deepEqual(attempt.payload, JSON.parse(received.body));
    assert.equal(attempt.http_status_code, 200);
    assert.equal(attempt.attempt_number, 1);
    assert.equal(attempt.response_body, '{"received":true}');
    assert.equal(attempt.response_headers?.['x-receiver'], 'yes');
    assert.equal(attempt.request_headers?.['X-Lettermint-Signature'], received.headers['x-lettermint-signature']);
    assert.ok(attempt.delivered_at && attempt.timestamp && attempt.duration_ms !== null);
    assert.equal(attempt.error_message, null);
    await ctx.system.database.db('webhooks').where({ id: webhook.id }).update({ enabled: false });
  });

  it('answers 404 for an attempt of another webhook, an unknown one or a malformed id', async () => {
    const mine = (
      await createWebhookRow(ctx.system.database.db, {
        teamId: ctx.tenant.teamId,
        routeId: ctx.tenant.routeId,
        url: ctx.receiver.url,
      })
    ).id;
    const other = (
      await createWebhookRow(ctx.system.database.db, {
        teamId: ctx.tenant.teamId,
        routeId: ctx.tenant.routeId,
        url: ctx.receiver.url,
      })
    ).id;
    const [attemptId] = await seedAttempts(ctx.system.database.db, ctx.tenant, other, 1);
    expectStatus(await get(`/v1/webhooks/${other}/deliveries/${attemptId}`), 200);
    for (const id of [attemptId, randomUUID(), 'x']) {
      const response = await get(`/v1/webhooks/${mine}/deliveries/${id}`);
      expectStatus(response, 404);
      assert.deepEqual(response.body, { message: 'Delivery not found.' });
    }
    const empty = await get(`/v1/webhooks/${mine}/deliveries`);
    assert.deepEqual(empty.body.data, []);
    assert.equal(empty.body.next_cursor, null);
  });
});
