import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { createWebhookRow } from '../support/system/fixtures';
import { useTestSystem } from '../support/system/use-test-system';
import { waitFor } from '../support/system/wait-until';

const PENDING = 5_000;
/** Deliveries with a real workflow, waiting a minute for their attempt 2; the rest are rows only. */
const REAL = 3;
/** One statement in Postgres, whatever the count: the answer does not wait on Temporal or on a loop. */
const ANSWER_BOUND_MS = 1_000;
/** The sweep tells Temporal 200 cancels a pass. */
const PAGE = 200;

describe('disabling a webhook with 5,000 pending deliveries (dev server)', function () {
  this.timeout(180_000);

  const ctx = useTestSystem({ temporal: 'dev-server', receiver: true, tenant: true });

  it('answers at once with cancelled_deliveries 5000, cancels every row in Postgres, and the sweep tells Temporal in pages', async () => {
    ctx.receiver.answer = () => ({ status: 500 });
    const webhook = await createWebhookRow(ctx.system.database.db, { ...ctx.tenant, url: `${ctx.receiver.url}/bulk` });
    const db = ctx.system.database.db;

    const real: Array<{ id: string; workflow_id: string }> = [];
    for (let i = 0; i < REAL; i++) {
      const response = await ctx.system.api('POST', '/v1/events', {
        token: ctx.tenant.token,
        body: { route_id: ctx.tenant.routeId, event: 'message.delivered', data: { i } },
      });
      real.push(response.body.data.deliveries[0]);
    }
    await waitFor(async () => {
      const rows = await db('deliveries').whereIn(
        'id',
        real.map((d) => d.id),
      );
      return rows.every((row) => row.attempts_count === 1);
    });
    // The rest: deliveries that failed attempt 1 an hour ago, as rows only (their workflow ids exist nowhere).
    await db.raw(
      `WITH seeded AS (
         INSERT INTO events (id, team_id, route_id, envelope_id, event_type, body, occurred_at)
         SELECT gen_random_uuid(), ?, ?, 'seed-' || g, 'message.delivered', '{}', now() - interval '1 hour'
           FROM generate_series(1, ?) AS g
         RETURNING id
       ), ids AS (
         SELECT gen_random_uuid() AS id, id AS event_id FROM seeded
       )
       INSERT INTO deliveries (id, team_id, event_id, webhook_id, route_id, workflow_id, workflow_started_at,
                               attempts_count, last_attempt_status, last_attempt_at, next_attempt_at)
       SELECT id, ?, event_id, ?, ?, 'delivery:message.delivered:' || id, now() - interval '1 hour',
              1, 'server_error', now() - interval '1 hour', now() + interval '1 minute'
         FROM ids`,
      [ctx.tenant.teamId, ctx.tenant.routeId, PENDING - REAL, ctx.tenant.teamId, webhook.id, ctx.tenant.routeId],
    );
    const pending = await db('deliveries').where({ webhook_id: webhook.id, status: 'pending' }).count({ n: '*' });
    assert.equal(Number(pending[0]!.n), PENDING);

    const started = Date.now();
    const answer = await ctx.system.api('PUT', `/v1/webhooks/${webhook.id}`, {
      token: ctx.tenant.token,
      body: { enabled: false },
    });
    const answeredMs = Date.now() - started;
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.cancelled_deliveries, PENDING);
    assert.equal(answer.body.data.enabled, false);
    assert.ok(answeredMs < ANSWER_BOUND_MS, `the answer took ${answeredMs} ms`);

    // At once, before Temporal heard anything: every row is cancelled with the reason the customer sees.
    const states = await db('deliveries')
      .where({ webhook_id: webhook.id })
      .select('status', 'status_reason')
      .count({ n: '*' })
      .groupBy('status', 'status_reason');
    assert.deepEqual(
      states.map((s) => ({ ...s, n: Number(s.n) })),
      [{ status: 'cancelled', status_reason: 'webhook disabled', n: PENDING }],
    );
    const withNext = await db('deliveries')
      .where({ webhook_id: webhook.id })
      .whereNotNull('next_attempt_at')
      .count({ n: '*' });
    assert.equal(Number(withNext[0]!.n), 0, 'no cancelled delivery has a next attempt');
    assert.equal(await ctx.system.stores.cancellations.countToSend(), PENDING);

    // The sweep: a page a pass, each pass bounded in time; a workflow that does not exist counts as told.
    const sweepStarted = Date.now();
    const passes: number[] = [];
    while ((await ctx.system.stores.cancellations.countToSend()) > 0) {
      assert.ok(passes.length < 2 * Math.ceil(PENDING / PAGE), `still ${passes.length} passes later`);
      passes.push(await ctx.system.deps.canceller.sendPendingCancels());
    }
    const sweptMs = Date.now() - sweepStarted;
    console.log(
      `        PUT enabled:false answered in ${answeredMs} ms with cancelled_deliveries ${answer.body.cancelled_deliveries}; ` +
        `the outbox drained in ${passes.length} passes (${passes.join(', ')}) in ${sweptMs} ms`,
    );
    assert.equal(
      passes.reduce((a, b) => a + b, 0),
      PENDING,
    );
    assert.ok(passes.every((sent) => sent <= PAGE));
    assert.equal(await ctx.system.deps.canceller.sendPendingCancels(), 0, 'nothing left to tell');

    for (const delivery of real) {
      const handle = ctx.system.client.workflow.getHandle(delivery.workflow_id);
      await assert.rejects(
        handle.result(),
        (err: unknown) => err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure,
      );
      assert.equal((await handle.describe()).status.name, 'CANCELLED');
      const row = await db('deliveries').where({ id: delivery.id }).first();
      assert.equal(row.status, 'cancelled');
      assert.equal(row.status_reason, 'webhook disabled', "the customer's reason stands");
    }
    assert.equal(ctx.receiver.requests.length, REAL, 'attempt 1 of each real delivery, and nothing after the disable');
  });
});
