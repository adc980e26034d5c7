import assert from 'node:assert/strict';
import { temporal } from '@temporalio/proto';
import pino from 'pino';
import { DeliveryStarter } from '../../src/deliveries/delivery-starter';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { metricSample } from '../support/system/metric-sample';
import { startTestDnsServer, type DnsAnswer, type TestDnsServer } from '../support/system/test-dns-server';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';
import { startTestSystem, TEST_TASK_QUEUE, type TestSystem } from '../support/system/test-system';
import { waitUntil } from '../support/system/wait-until';

/** Team A: 4 webhooks on a receiver that accepts TCP and never answers, 1 on a name whose DNS never answers. */
const A_EVENTS = 50;
const A_HANGING_WEBHOOKS = 4;
const A_DELIVERIES = A_EVENTS * (A_HANGING_WEBHOOKS + 1);
/** Team B: one event at a time to a healthy receiver whose name the same DNS server answers. */
const B_EVERY_MS = 300;
const B_DURING_BURST = 8;
const B_UNDER_ATTACK = 24;
/**
 * While A's burst is being handed out, B's first workflow tasks wait behind A's 250 in the deliveries' task queue
 * (Temporal serves it in order): 2.3-6.3 s on this loaded 2-core machine, as long as behind a burst of 250
 * deliveries to a healthy receiver (measured: 5.9 s), so that is the stack's rate, not A's black hole. What the black
 * hole must never cost B is A's 30 s deadline: without the shares (origin and team shares, slow origins) B's first
 * attempts waited 30 s here, as they waited 26 s before the lanes (security audit, finding 4). Half of that is the
 * bound.
 */
const B_DURING_BURST_BOUND_MS = 15_000;
/**
 * Once A's deliveries are under way (their attempts hanging in their origins' shares, the rest waiting in the
 * queued lanes), every one of B's first attempts arrives within this of its trigger: 30-700 ms measured here, against
 * 20-250 ms with B alone.
 */
const B_UNDER_ATTACK_BOUND_MS = 2_000;

/** The DNS zone: `dead-*` is black-holed, every other name is the loopback receivers'. */
function zone(name: string): DnsAnswer {
  return name.startsWith('dead-') ? 'silent' : { A: ['127.0.0.1'], ttl: 60 };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(values: number[]): string {
  return `p50 ${percentile(values, 50)} ms, p99 ${percentile(values, 99)} ms, max ${Math.max(...values)} ms`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('noisy neighbour: one team black-holing its attempts does not delay another team (dev server)', function () {
  this.timeout(120_000);
  let dns: TestDnsServer;
  let hanging: TestReceiver;
  let healthy: TestReceiver;
  let system: TestSystem;

  before(async () => {
    dns = await startTestDnsServer(zone);
    hanging = await startTestReceiver();
    hanging.answer = () => 'hang';
    healthy = await startTestReceiver();
    system = await startTestSystem({
      temporal: 'dev-server',
      // Small shares, so that they show within seconds. A's hanging attempts keep production's 30 s deadline, so
      // they are still hanging when B is measured.
      lanes: { queuedSlots: { standard: 20, slow: 20 }, perOrigin: 4, perTeam: 16, slowAfterMs: 1_000 },
      // The resolver's only server is the loopback one: a dead name costs its team 2 × 500 ms, every time.
      dns: { servers: [dns.address], timeoutMs: 500, tries: 2, negativeTtlMs: 1 },
    });
  });

  after(async () => {
    // Closing the hanging receiver first ends A's attempts in flight, so the worker drains at once.
    await hanging?.close();
    await healthy?.close();
    await system?.close();
    await dns?.close();
  });

  const scrape = () => system.scrapeMetrics();

  /** Workflow tasks waiting in the deliveries' task queue for a worker to take them. */
  async function workflowTaskBacklog(): Promise<number> {
    const answer = await system.client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: TEST_TASK_QUEUE, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      reportStats: true,
    });
    return Number(answer.stats?.approximateBacklogCount ?? 0);
  }

  it("delivers B's first attempts within the bound while A's deliveries go to the slow lane, none sent twice", async () => {
    const port = (receiver: TestReceiver) => new URL(receiver.url).port;
    const teamA = await createTenant(system.database.db);
    const teamB = await createTenant(system.database.db);
    for (let i = 0; i < A_HANGING_WEBHOOKS; i++) {
      await createWebhookRow(system.database.db, { ...teamA, url: `${hanging.url}/${i}` });
    }
    await createWebhookRow(system.database.db, { ...teamA, url: `http://dead-a.example.test:${port(hanging)}/dns` });
    await createWebhookRow(system.database.db, { ...teamB, url: `http://alive-b.example.test:${port(healthy)}/b` });

    const sentAt = new Map<string, number>();
    const triggerB = async (label: string) => {
      const started = Date.now();
      const response = await system.api('POST', '/v1/events', {
        token: teamB.token,
        body: { route_id: teamB.routeId, event: 'message.delivered', id: label, data: {} },
      });
      assert.equal(response.status, 202, JSON.stringify(response.body));
      sentAt.set(label, started);
    };
    /** Trigger to first POST of each of B's events with this prefix, once they all arrived. */
    const latencies = async (prefix: string, count: number): Promise<number[]> => {
      const arrived = new Map<string, number>();
      await waitUntil(
        () => {
          for (const request of healthy.requests) {
            const id = (JSON.parse(request.body) as { id: string }).id;
            if (!arrived.has(id)) arrived.set(id, request.receivedAt);
          }
          return [...sentAt.keys()].filter((label) => label.startsWith(prefix)).every((label) => arrived.has(label));
        },
        `every one of B's "${prefix}" first attempts`,
        60_000,
        20,
      );
      const measured = [...sentAt].filter(([label]) => label.startsWith(prefix));
      assert.equal(measured.length, count);
      return measured.map(([label, at]) => arrived.get(label)! - at);
    };
    const triggerBEvery = async (prefix: string, count: number, during?: () => Promise<void>) => {
      for (let i = 0; i < count; i++) {
        const next = Date.now() + B_EVERY_MS;
        await triggerB(`${prefix}-${i}`);
        await during?.();
        await sleep(Math.max(0, next - Date.now()));
      }
    };

    // B alone (after one to warm up): what a first attempt costs on this machine right now.
    await triggerB('warm-up');
    await latencies('warm-up', 1);
    await triggerBEvery('alone', 4);
    const alone = await latencies('alone', 4);

    // A's attack: one batch of 250 deliveries, all to origins that never answer. The trigger starts what it can in
    // its 800 ms and leaves the rest to the outbox sweeper (off in tests, 10 s later in production): start those
    // at once, so that all 250 attack together.
    const attackStarted = Date.now();
    const batch = await system.api('POST', '/v1/events/batch', {
      token: teamA.token,
      body: {
        events: Array.from({ length: A_EVENTS }, (_, i) => ({
          route_id: teamA.routeId,
          event: 'message.delivered',
          data: { i },
        })),
      },
    });
    assert.equal(batch.status, 202, JSON.stringify(batch.body));
    const acceptedMs = Date.now() - attackStarted;
    const aIds: string[] = batch.body.data.flatMap((e: { deliveries: Array<{ id: string }> }) =>
      e.deliveries.map((d) => d.id),
    );
    assert.equal(aIds.length, A_DELIVERIES);
    const unstarted: string[] = await system.database
      .db('deliveries')
      .whereIn('id', aIds)
      .whereNull('workflow_started_at')
      .pluck('id');
    const starter = new DeliveryStarter({
      client: system.client,
      taskQueue: TEST_TASK_QUEUE,
      stores: system.stores,
      logger: pino({ level: 'silent' }),
    });
    const restStarted = starter.start(await system.stores.outbox.listToStart(unstarted));

    // B during A's burst: its first workflow tasks queue behind A's 250 in the task queue.
    await triggerBEvery('burst', B_DURING_BURST);
    assert.equal(await restStarted, unstarted.length, "all of A's deliveries started");
    const burst = await latencies('burst', B_DURING_BURST);

    // A's deliveries under way: no workflow task left waiting, and the fast lane done handing A's attempts on.
    let deferrals = -1;
    await waitUntil(
      async () => {
        const now = (await scrape())
          .split('\n')
          .filter((line) => line.startsWith('tidehook_lane_deferrals_total{'))
          .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
        const settled = now === deferrals && (await workflowTaskBacklog()) === 0;
        deferrals = now;
        return settled;
      },
      "A's first workflow tasks all taken",
      60_000,
      1_000,
    );
    const underWayMs = Date.now() - attackStarted;

    // B while A's attempts hang in their shares and the rest of them wait in the queued lanes.
    let slowInFlight = 0;
    let scrapes = 0;
    await triggerBEvery('attack', B_UNDER_ATTACK, async () => {
      if (scrapes++ % 4 !== 0) return;
      slowInFlight = Math.max(slowInFlight, metricSample(await scrape(), 'tidehook_lane_in_flight', 'lane="slow"'));
    });
    const underAttack = await latencies('attack', B_UNDER_ATTACK);

    const metrics = await scrape();
    const deferred = (reason: string, to: string) =>
      metricSample(metrics, 'tidehook_lane_deferrals_total', `reason="${reason}",to="${to}"`);
    const postsPerAttempt = new Map<string, number>();
    for (const request of hanging.requests) {
      // One event goes to four webhooks on this receiver: a delivery is the path (its webhook) and the envelope id.
      const id = (JSON.parse(request.body) as { id: string }).id;
      const key = `${request.path} ${id} #${String(request.headers['x-lettermint-attempt'])}`;
      postsPerAttempt.set(key, (postsPerAttempt.get(key) ?? 0) + 1);
    }
    const twice = [...postsPerAttempt].filter(([, n]) => n > 1);
    const count = async (status: string) =>
      Number((await system.database.db('attempts').where({ team_id: teamA.teamId, status }).count({ n: '*' }))[0]!.n);
    const [aTimedOut, aFailed] = [await count('timeout'), await count('failed')];
    console.log(
      `        B alone: ${summary(alone)}. A's ${A_DELIVERIES} deliveries accepted in ${acceptedMs} ms ` +
        `(${A_DELIVERIES - unstarted.length} started by the trigger), all under way after ${underWayMs} ms.\n` +
        `        B during A's burst: ${summary(burst)} [${burst.join(', ')}]\n` +
        `        B under A's attack (${B_UNDER_ATTACK} events over ${(B_UNDER_ATTACK * B_EVERY_MS) / 1000} s): ` +
        `${summary(underAttack)} [${underAttack.join(', ')}]\n` +
        `        A: ${hanging.requests.length} POSTs to the hanging receiver (${twice.length} attempts sent twice), ` +
        `${aTimedOut} timed out and ${aFailed} failed (DNS) so far; deferrals slow_origin→slow ` +
        `${deferred('slow_origin', 'slow')}, origin_share→standard ${deferred('origin_share', 'standard')}, ` +
        `team_share→standard ${deferred('team_share', 'standard')}, lane_full ${deferred('lane_full', 'standard')}; ` +
        `slow origins ${metricSample(metrics, 'tidehook_slow_origins')}, at most ${slowInFlight} in flight in the ` +
        `slow lane; ${dns.questionsAbout('dead-a.example.test').length} DNS questions for A's dead name`,
    );

    assert.ok(
      Math.max(...burst) < B_DURING_BURST_BOUND_MS,
      `B's first attempts during A's burst: ${summary(burst)} (bound ${B_DURING_BURST_BOUND_MS} ms)`,
    );
    assert.ok(
      percentile(underAttack, 99) < B_UNDER_ATTACK_BOUND_MS,
      `B's first attempts under A's attack: ${summary(underAttack)} (bound ${B_UNDER_ATTACK_BOUND_MS} ms)`,
    );
    assert.ok(deferred('slow_origin', 'slow') > 0, "A's attempts were handed to the slow lane");
    assert.ok(slowInFlight > 0, 'and ran there');
    assert.ok(metricSample(metrics, 'tidehook_slow_origins') >= 1, "A's origins are marked slow");
    assert.ok(hanging.requests.length > 0, "A's attempts were sent, to their origin's share");
    assert.deepEqual(twice, [], 'no attempt of A was sent twice');
    assert.ok(aFailed > 0, "A's dead name failed its lookups without holding up B's, from the same DNS server");
  });
});
