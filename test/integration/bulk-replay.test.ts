import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { TEST_TASK_QUEUE } from '../support/system/test-system';
import { spawnWorkerProcess, type WorkerProcess } from '../support/system/worker-process';
import { waitFor } from '../support/system/wait-until';
import { useTestSystem } from '../support/system/use-test-system';

const WINDOW = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' };

describe("bulk replay of a webhook's failed deliveries (dev server, workers in child processes)", function () {
  this.timeout(180_000);
  const workers: WorkerProcess[] = [];

  // Registered first, so it runs first: the workers go before the system they work for.
  after(async () => {
    for (const worker of workers) await worker.kill();
  });

  const ctx = useTestSystem({ temporal: 'dev-server', inProcessWorker: false, receiver: true });

  /** A finished delivery in the past, as months of history would leave it. */
  async function pastDelivery(
    tenant: { teamId: string; routeId: string },
    webhookId: string,
    options: { status: string; eventType?: string; at: string },
  ) {
    const db = ctx.system.database.db;
    const eventId = randomUUID();
    const envelopeId = `evt-${randomUUID()}`;
    const eventType = options.eventType ?? 'message.delivered';
    await db('events').insert({
      id: eventId,
      team_id: tenant.teamId,
      route_id: tenant.routeId,
      envelope_id: envelopeId,
      event_type: eventType,
      body: JSON.stringify({ id: envelopeId, event: eventType, timestamp: options.at, data: {} }),
      occurred_at: options.at,
    });
    const id = randomUUID();
    await db('deliveries').insert({
      id,
      team_id: tenant.teamId,
      event_id: eventId,
      webhook_id: webhookId,
      route_id: tenant.routeId,
      workflow_id: `delivery:${eventType}:${id}`,
      status: options.status,
      attempts_count: 12,
      workflow_started_at: options.at,
      finished_at: options.at,
      created_at: options.at,
    });
    return { id, envelopeId };
  }

  it('counts in a dry run, replays each match once at the set rate, and survives its worker being killed mid-job', async () => {
    const db = ctx.system.database.db;
    const tenant = await createTenant(db);
    const webhook = await createWebhookRow(db, {
      ...tenant,
      url: ctx.receiver.url,
      events: ['message.delivered', 'message.sent'],
    });
    const targets = [];
    for (let i = 0; i < 30; i++)
      targets.push(
        await pastDelivery(tenant, webhook.id, {
          status: 'failed',
          at: new Date(Date.parse(WINDOW.from) + i * 60_000).toISOString(),
        }),
      );
    await pastDelivery(tenant, webhook.id, { status: 'cancelled', at: '2026-03-01T12:00:00.000Z' });
    await pastDelivery(tenant, webhook.id, {
      status: 'failed',
      eventType: 'message.sent',
      at: '2026-03-01T12:00:00.000Z',
    });
    await pastDelivery(tenant, webhook.id, { status: 'failed', at: '2026-02-27T12:00:00.000Z' });

    const request = { ...WINDOW, statuses: ['failed'], event_types: ['message.delivered'] };
    const dryRun = await ctx.system.api('POST', `/v1/webhooks/${webhook.id}/replays`, {
      token: tenant.token,
      body: { ...request, dry_run: true },
    });
    assert.equal(dryRun.status, 200, JSON.stringify(dryRun.body));
    assert.equal(dryRun.body.data.count, 30);
    assert.equal((await db('deliveries').whereNotNull('replay_of')).length, 0, 'a dry run replays nothing');

    const invalid = await ctx.system.api('POST', `/v1/webhooks/${webhook.id}/replays`, {
      token: tenant.token,
      body: { ...request, from: WINDOW.to, to: WINDOW.from, rate_per_second: 0 },
    });
    assert.equal(invalid.status, 422);
    assert.deepEqual(Object.keys(invalid.body.errors).sort(), ['from', 'rate_per_second']);

    const spawn = async () => {
      const worker = await spawnWorkerProcess({
        databaseUrl: ctx.system.database.url,
        temporalAddress: ctx.system.temporalAddress,
        taskQueue: TEST_TASK_QUEUE,
      });
      workers.push(worker);
      return worker;
    };
    const first = await spawn();
    const launched = await ctx.system.api('POST', `/v1/webhooks/${webhook.id}/replays`, {
      token: tenant.token,
      body: { ...request, rate_per_second: 5 },
    });
    assert.equal(launched.status, 202, JSON.stringify(launched.body));
    assert.equal(launched.body.data.total, 30);
    const jobId = launched.body.data.id;
    const progress = async () =>
      (await ctx.system.api('GET', `/v1/replay-jobs/${jobId}`, { token: tenant.token })).body;

    await waitFor(async () => (await progress()).processed >= 10, 30_000);
    const startedAt = Date.now();
    await first.kill('SIGKILL');
    const midway = await progress();
    assert.ok(midway.processed < 30, `the job was still under way when its worker died (${midway.processed})`);
    await spawn();
    await waitFor(async () => (await progress()).status === 'completed', 90_000);
    const done = await progress();
    assert.equal(done.processed, 30);
    assert.equal(done.replayed, 30);
    assert.equal(done.skipped, 0);
    console.log(
      `      killed the worker at ${midway.processed}/30; the job finished ${Date.now() - startedAt} ms later`,
    );

    const replays = await db('deliveries').where({ replay_job_id: jobId });
    assert.equal(replays.length, 30);
    assert.deepEqual(
      replays.map((r) => r.replay_of).sort(),
      targets.map((t) => t.id).sort(),
      'each match replayed exactly once',
    );
    await waitFor(
      async () => (await db('deliveries').where({ replay_job_id: jobId, status: 'success' })).length === 30,
      60_000,
    );
    const envelopeIds = ctx.receiver.requests.map((r) => JSON.parse(r.body).id as string);
    const distinct = new Set(envelopeIds);
    assert.deepEqual([...distinct].sort(), targets.map((t) => t.envelopeId).sort());
    console.log(
      `      receiver got ${envelopeIds.length} POSTs for 30 events (${envelopeIds.length - distinct.size} at-least-once duplicates)`,
    );

    const again = await ctx.system.api('POST', `/v1/webhooks/${webhook.id}/replays`, {
      token: tenant.token,
      body: { ...request, dry_run: true },
    });
    assert.equal(again.body.data.count, 0, 'deliveries already replayed successfully are not replayed again');
  });
});
