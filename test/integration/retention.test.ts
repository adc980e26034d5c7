import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Registry } from 'prom-client';
import { runCli } from '../../src/cli/run-cli';
import type { Database } from '../../src/db/create-database';
import { RetentionMetrics } from '../../src/metrics/retention-metrics';
import { HistoryPruner } from '../../src/retention/history-pruner';
import { startRetentionTask } from '../../src/retention/start-retention-task';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { startTestSystem, type TestSystem } from '../support/system/test-system';
import { waitUntil } from '../support/system/wait-until';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

/** Rows written straight to Postgres, with the ages and states retention must tell apart. */
class History {
  constructor(
    private readonly db: Database,
    private readonly tenant: { teamId: string; routeId: string },
    private readonly webhookId: string,
  ) {}

  async event(createdDaysAgo: number): Promise<string> {
    const id = randomUUID();
    await this.db('events').insert({
      id,
      team_id: this.tenant.teamId,
      route_id: this.tenant.routeId,
      envelope_id: id,
      event_type: 'message.sent',
      body: '{}',
      occurred_at: ago(createdDaysAgo),
      created_at: ago(createdDaysAgo),
    });
    return id;
  }

  async delivery(
    eventId: string,
    state: {
      status: string;
      finishedDaysAgo?: number;
      attempts?: number;
      replayOf?: string;
      cancelRequested?: boolean;
    },
  ): Promise<string> {
    const id = randomUUID();
    await this.db('deliveries').insert({
      id,
      team_id: this.tenant.teamId,
      event_id: eventId,
      webhook_id: this.webhookId,
      route_id: this.tenant.routeId,
      workflow_id: `retention:${id}`,
      status: state.status,
      replay_of: state.replayOf ?? null,
      workflow_started_at: new Date(),
      finished_at: state.finishedDaysAgo === undefined ? null : ago(state.finishedDaysAgo),
      cancel_requested_at: state.cancelRequested ? new Date() : null,
    });
    const attempts = Array.from({ length: state.attempts ?? 2 }, (_, i) => ({
      id: randomUUID(),
      team_id: this.tenant.teamId,
      delivery_id: id,
      webhook_id: this.webhookId,
      event_id: eventId,
      event_type: 'message.sent',
      attempt_number: i + 1,
      status: 'server_error',
    }));
    if (attempts.length > 0) await this.db('attempts').insert(attempts);
    return id;
  }
}

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, err: err.join('\n'), values: Object.fromEntries(out.map((l) => l.split(' ', 2))) };
}

describe('retention: pruning old events, deliveries and attempts', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let receiver: TestReceiver;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  let history: History;
  const kept: Record<string, string> = {};
  const OLD_BATCH = 230;

  before(async () => {
    system = await startTestSystem({ temporal: 'time-skipping' });
    receiver = await startTestReceiver();
    tenant = await createTenant(system.database.db);
    const webhook = await createWebhookRow(system.database.db, {
      ...tenant,
      url: receiver.url,
      events: ['message.sent'],
    });
    history = new History(system.database.db, tenant, webhook.id);
  });

  after(async () => {
    await receiver?.close();
    await system?.close();
  });

  const db = () => system.database.db;
  const count = async (table: string) => Number((await db()(table).count({ n: '*' }))[0]!.n);
  const exists = async (table: string, id: string) => (await db()(table).where({ id }).first()) !== undefined;

  /** 230 old finished deliveries of their own events, and everything that must survive beside them. */
  async function seed(): Promise<void> {
    for (let i = 0; i < OLD_BATCH; i++) {
      const statuses = ['success', 'failed', 'cancelled'];
      await history.delivery(await history.event(45), { status: statuses[i % 3]!, finishedDaysAgo: 40 });
    }
    for (let i = 0; i < 5; i++) await history.event(45); // old events that never reached a webhook
    kept.recentEvent = await history.event(2);
    kept.recentDelivery = await history.delivery(kept.recentEvent, { status: 'success', finishedDaysAgo: 2 });
    kept.oldPendingEvent = await history.event(45);
    kept.oldPending = await history.delivery(kept.oldPendingEvent, { status: 'pending', attempts: 3 });
    kept.cancelling = await history.delivery(await history.event(45), {
      status: 'cancelled',
      finishedDaysAgo: 40,
      cancelRequested: true,
    });
    // An old delivery replayed lately: the original goes, the replay stays (replay_of cleared), and so the event.
    kept.replayedEvent = await history.event(45);
    const replayed = await history.delivery(kept.replayedEvent, { status: 'failed', finishedDaysAgo: 40 });
    kept.recentReplay = await history.delivery(kept.replayedEvent, {
      status: 'success',
      finishedDaysAgo: 1,
      replayOf: replayed,
    });
    kept.replayedOriginal = replayed;
    // An old delivery whose replay is still under way stays whole.
    const busyEvent = await history.event(45);
    kept.busyOriginal = await history.delivery(busyEvent, { status: 'failed', finishedDaysAgo: 40 });
    await history.delivery(busyEvent, { status: 'pending', replayOf: kept.busyOriginal });
    // An old delivery and its old replay go together, with their event.
    kept.bothOldEvent = await history.event(45);
    const original = await history.delivery(kept.bothOldEvent, { status: 'failed', finishedDaysAgo: 41 });
    await history.delivery(kept.bothOldEvent, { status: 'success', finishedDaysAgo: 40, replayOf: original });
  }

  it('counts what would go (dry run), then deletes it in batches and keeps everything else', async () => {
    await seed();
    const env = { DATABASE_URL: system.database.url };
    const before = {
      events: await count('events'),
      deliveries: await count('deliveries'),
      attempts: await count('attempts'),
    };
    const dry = await cli(['prune', '--older-than-days', '30', '--dry-run'], env);
    assert.equal(dry.code, 0, dry.err);
    // 230 + the replayed original + the old pair; their attempts (2 each); 230 + 5 orphans + the old pair's event.
    const expected = { deliveries: OLD_BATCH + 3, attempts: 2 * (OLD_BATCH + 3), events: OLD_BATCH + 5 + 1 };
    assert.deepEqual(dry.values, {
      deliveries: String(expected.deliveries),
      attempts: String(expected.attempts),
      events: String(expected.events),
    });
    assert.equal(await count('deliveries'), before.deliveries, 'a dry run deletes nothing');

    const registry = new Registry();
    const metrics = new RetentionMetrics(registry);
    const started = performance.now();
    const outcome = await new HistoryPruner({
      store: system.stores.retention,
      batchSize: 50,
      pauseMs: 0,
      metrics,
    }).prune(30);
    const ms = performance.now() - started;
    assert.equal(outcome.kind, 'pruned');
    if (outcome.kind !== 'pruned') return;
    console.log(
      `        pruned ${outcome.deliveries} deliveries, ${outcome.attempts} attempts, ${outcome.events} events in ${outcome.batches} batches of at most 50, ${ms.toFixed(0)} ms`,
    );
    assert.deepEqual({ deliveries: outcome.deliveries, attempts: outcome.attempts, events: outcome.events }, expected);
    assert.ok(outcome.batches >= Math.ceil(OLD_BATCH / 50) + Math.ceil(OLD_BATCH / 50), 'bounded batches');
    assert.equal(await count('deliveries'), before.deliveries - expected.deliveries);
    assert.equal(await count('attempts'), before.attempts - expected.attempts);
    assert.equal(await count('events'), before.events - expected.events);

    for (const id of [kept.recentDelivery, kept.oldPending, kept.cancelling, kept.recentReplay, kept.busyOriginal]) {
      assert.ok(await exists('deliveries', id!), `delivery ${id} kept`);
    }
    const pendingAttempts = await db()('attempts').where({ delivery_id: kept.oldPending }).count({ n: '*' });
    assert.equal(Number(pendingAttempts[0]!.n), 3, 'a pending delivery keeps its attempts');
    for (const id of [kept.recentEvent, kept.oldPendingEvent, kept.replayedEvent]) {
      assert.ok(await exists('events', id!), `event ${id} kept`);
    }
    assert.ok(!(await exists('deliveries', kept.replayedOriginal!)));
    assert.equal((await db()('deliveries').where({ id: kept.recentReplay }).first()).replay_of, null);
    assert.ok(!(await exists('events', kept.bothOldEvent!)));
    const text = await registry.metrics();
    assert.match(text, new RegExp(`tidehook_pruned_total\\{table="deliveries"\\} ${expected.deliveries}\\n`));
    assert.match(text, new RegExp(`tidehook_pruned_total\\{table="attempts"\\} ${expected.attempts}\\n`));
    assert.match(text, new RegExp(`tidehook_pruned_total\\{table="events"\\} ${expected.events}\\n`));

    const again = await cli(['prune', '--older-than-days', '30'], env);
    assert.deepEqual(again.values, { deliveries: '0', attempts: '0', events: '0' }, 'nothing left to do');
  });

  it('never waits on a row someone holds, and deliveries run while it prunes', async () => {
    const locked = await history.delivery(await history.event(45), { status: 'success', finishedDaysAgo: 40 });
    for (let i = 0; i < 300; i++) {
      await history.delivery(await history.event(45), { status: 'success', finishedDaysAgo: 40 });
    }
    const trx = await db().transaction();
    try {
      await trx('deliveries').where({ id: locked }).forUpdate().first();
      const events = Array.from({ length: 5 }, (_, n) =>
        system.api('POST', '/v1/events', {
          token: tenant.token,
          body: { route_id: tenant.routeId, event: 'message.sent', data: { n } },
        }),
      );
      const started = performance.now();
      const outcome = await new HistoryPruner({ store: system.stores.retention, batchSize: 40, pauseMs: 5 }).prune(30);
      const ms = performance.now() - started;
      assert.equal(outcome.kind === 'pruned' && outcome.deliveries, 300, 'all but the locked one');
      assert.ok(ms < 10_000, `took ${ms} ms`);
      assert.ok(await exists('deliveries', locked), 'the locked row was skipped, not waited for');
      assert.deepEqual(
        (await Promise.all(events)).map((r) => r.status),
        [202, 202, 202, 202, 202],
      );
      await receiver.waitForRequests(5);
      console.log(`        300 deliveries pruned in ${ms.toFixed(0)} ms beside a held row lock and 5 live deliveries`);
    } finally {
      await trx.commit();
    }
    const after = await new HistoryPruner({ store: system.stores.retention, pauseMs: 0 }).prune(30);
    assert.equal(after.kind === 'pruned' && after.deliveries, 1, 'released, it goes on the next run');
  });

  it('prunes in one process at a time: a second pruner is told someone else is at it', async () => {
    let release!: () => void;
    const holding = system.stores.retention.whileNobodyElsePrunes(() => new Promise<void>((r) => (release = r)));
    await waitUntil(() => release !== undefined, 'the lock taken', 5_000);
    try {
      const second = await new HistoryPruner({ store: system.stores.retention }).prune(30);
      assert.deepEqual(second, { kind: 'busy' });
      const viaCli = await cli(['prune', '--older-than-days', '30'], { DATABASE_URL: system.database.url });
      assert.equal(viaCli.code, 1);
      assert.match(viaCli.err, /another process is pruning right now/);
    } finally {
      release();
      await holding;
    }
  });

  it('runs in the background with RETENTION_DAYS, and refuses ages that are not whole days', async () => {
    const old = await history.delivery(await history.event(45), { status: 'failed', finishedDaysAgo: 40 });
    const registry = new Registry();
    const task = startRetentionTask({
      days: 30,
      store: system.stores.retention,
      metrics: new RetentionMetrics(registry),
      logger: pino({ level: 'silent' }),
      firstAfterMs: 0,
    });
    try {
      await waitUntil(async () => !(await exists('deliveries', old)), 'the background prune', 10_000);
      assert.match(await registry.metrics(), /tidehook_pruned_total\{table="deliveries"\} 1\n/);
    } finally {
      await task.stop();
    }
    for (const days of ['0', '1.5', 'x']) {
      const answer = await cli(['prune', '--older-than-days', days], { DATABASE_URL: system.database.url });
      assert.equal(answer.code, 2, days);
      assert.match(answer.err, /--older-than-days must be a whole number/);
    }
  });
});
