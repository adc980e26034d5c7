import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { attemptDetailSchema, attemptSummarySchema } from '../../src/api/schemas/webhook-delivery-schemas';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';
import { expectStatus } from '../support/system/api-assertions';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import type { TestSystem } from '../support/system/test-system';
import { useTestSystem } from '../support/system/use-test-system';

const EventType = temporal.api.enums.v1.EventType;

async function historyEvents(system: TestSystem, workflowId: string) {
  return (await system.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** Timer durations in ms, in the order the workflow started them. */
async function timerDurations(system: TestSystem, workflowId: string): Promise<number[]> {
  return (await historyEvents(system, workflowId))
    .filter((event) => event.eventType === EventType.EVENT_TYPE_TIMER_STARTED)
    .map((event) => {
      const timeout = event.timerStartedEventAttributes!.startToFireTimeout!;
      return Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6);
    });
}

/** Resolves once the workflow has started `count` timers: it is then waiting for its next attempt. */
async function waitForTimers(system: TestSystem, workflowId: string, count: number): Promise<void> {
  const until = Date.now() + 20_000;
  while ((await timerDurations(system, workflowId)).length < count) {
    if (Date.now() > until) throw new Error(`workflow ${workflowId} started fewer than ${count} timers in 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('manual retry of an attempt record (time-skipping Temporal server)', function () {
  this.timeout(120_000);
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });
  let webhookIds: string[] = [];

  afterEach(async () => {
    // Deliveries left waiting must not send to later tests' receivers once time skips.
    await ctx.system.database.db('webhooks').whereIn('id', webhookIds).update({ enabled: false });
    webhookIds = [];
  });

  /** A webhook of its own path and one delivery to it; answers the delivery, its first attempt record and the path. */
  async function deliver(name: string, answers: Array<number | 'hang'>) {
    const path = `${new URL(ctx.receiver.url).pathname}/${name}`;
    const webhook = await createWebhookRow(ctx.system.database.db, {
      teamId: ctx.tenant.teamId,
      routeId: ctx.tenant.routeId,
      url: `${ctx.receiver.url}/${name}`,
      events: [`message.${name === 'replay' ? 'failed' : 'delivered'}`],
    });
    webhookIds.push(webhook.id);
    let calls = 0;
    ctx.receiver.answer = (request) => {
      if (request.path !== path) return { status: 200 };
      const answer = answers[Math.min(calls++, answers.length - 1)]!;
      return answer === 'hang' ? 'hang' : { status: answer };
    };
    const response = await ctx.api('POST', '/v1/events', {
      route_id: ctx.tenant.routeId,
      event: `message.${name === 'replay' ? 'failed' : 'delivered'}`,
      data: { test: name },
    });
    expectStatus(response, 202);
    const delivery = (response.body.data.deliveries as Array<{ id: string; webhook_id: string; workflow_id: string }>)
      .filter((d) => d.webhook_id === webhook.id)
      .at(0)!;
    const received = () => ctx.receiver.requests.filter((r) => r.path === path);
    return { webhook, delivery, path, received };
  }

  async function firstAttemptId(webhookId: string): Promise<string> {
    const until = Date.now() + 20_000;
    for (;;) {
      const list = await ctx.api('GET', `/v1/webhooks/${webhookId}/deliveries?sort=created_at`);
      const done = (list.body.data as Array<{ id: string; status: string }>).find((a) => a.status !== 'pending');
      if (done) return done.id;
      if (Date.now() > until) throw new Error('no attempt recorded in 20 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const retry = (webhookId: string, attemptId: string, token?: string) =>
    ctx.api('POST', `/v1/webhooks/${webhookId}/deliveries/${attemptId}/retry`, undefined, token);

  it('sends the attempt the delivery waits for at once, numbered next, and the schedule continues from its number', async () => {
    const { webhook, delivery, received } = await deliver('waiting', [500, 503, 200]);
    const attempt1 = await firstAttemptId(webhook.id);
    await waitForTimers(ctx.system, delivery.workflow_id, 1);

    const waiting = await ctx.api('GET', `/v1/webhooks/${webhook.id}/deliveries/${attempt1}`);
    const before = attemptDetailSchema.parse(waiting.body);
    assert.ok(before.next_retry_at, 'the attempt the delivery waits after names when the retry is due');
    const due = Date.parse(before.next_retry_at) - Date.parse(before.delivered_at!);
    assert.ok(Math.abs(due - DELIVERY_SCHEDULE[1]!) < 1_000, `next_retry_at is ${due} ms after attempt 1`);

    const sentAt = Date.now();
    const response = await retry(webhook.id, attempt1);
    const answeredAt = Date.now();
    expectStatus(response, 202);
    assert.equal(typeof response.body.message, 'string');
    const [, manual] = await (async () => {
      const until = Date.now() + 10_000;
      while (received().length < 2) {
        if (Date.now() > until) throw new Error('the manual attempt did not arrive within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return received();
    })();
    assert.equal(manual!.headers['x-lettermint-attempt'], '2');
    // The attempt is sent inside the workflow task that accepts the update, so it reaches the receiver before the
    // API has begun its record and answered.
    console.log(
      `      retry request to the receiver getting attempt 2: ${manual!.receivedAt - sentAt} ms; to the 202: ` +
        `${answeredAt - sentAt} ms`,
    );
    // "At once": far inside the minute the timer still had to run.
    assert.ok(manual!.receivedAt - sentAt < 5_000);

    // The 202 named the record of attempt 2, readable at once.
    const attempt2 = await ctx.api('GET', `/v1/webhooks/${webhook.id}/deliveries/${response.body.delivery_id}`);
    expectStatus(attempt2, 200);
    assert.equal(attempt2.body.attempt_number, 2);

    // Attempt 2 fails (503): the wait before attempt 3 is the schedule's for attempt 3, from attempt 2's end.
    await waitForTimers(ctx.system, delivery.workflow_id, 2);
    const list = await ctx.api('GET', `/v1/webhooks/${webhook.id}/deliveries?sort=created_at`);
    const records = (list.body.data as unknown[]).map((a) => attemptSummarySchema.parse(a));
    assert.deepEqual(
      records.map((a) => [a.attempt_number, a.status, a.next_retry_at === null]),
      [
        [1, 'server_error', true],
        [2, 'server_error', false],
      ],
    );
    const afterManual = Date.parse(records[1]!.next_retry_at!) - Date.parse(records[1]!.delivered_at!);
    assert.ok(
      Math.abs(afterManual - DELIVERY_SCHEDULE[2]!) < 1_000,
      `next_retry_at is ${afterManual} ms after attempt 2`,
    );

    const outcome = await ctx.system.client.workflow.getHandle(delivery.workflow_id).result();
    assert.deepEqual(outcome, { status: 'success', attempts: 3 });
    assert.deepEqual(
      received().map((r) => r.headers['x-lettermint-attempt']),
      ['1', '2', '3'],
    );
    // The manual attempt replaced the 1-minute timer (cancelled), and the wait after it was attempt 3's 2 minutes.
    assert.deepEqual(await timerDurations(ctx.system, delivery.workflow_id), [
      DELIVERY_SCHEDULE[1],
      DELIVERY_SCHEDULE[2],
    ]);
    const events = await historyEvents(ctx.system, delivery.workflow_id);
    assert.equal(events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_CANCELED).length, 1);
    assert.equal(
      events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).length,
      1,
    );

    const done = await ctx.api('GET', `/v1/webhooks/${webhook.id}/deliveries`);
    assert.ok(done.body.data.every((a: { next_retry_at: string | null }) => a.next_retry_at === null));
    const native = await ctx.api('GET', `/v1/deliveries/${delivery.id}`);
    assert.ok(native.body.attempts.every((a: { next_retry_at: string | null }) => a.next_retry_at === null));
  });

  it('answers 409 for a delivery that succeeded', async () => {
    const { webhook, delivery } = await deliver('succeeded', [200]);
    await ctx.system.client.workflow.getHandle(delivery.workflow_id).result();
    const attempt = await firstAttemptId(webhook.id);
    const response = await retry(webhook.id, attempt);
    expectStatus(response, 409);
    assert.match(response.body.message, /already succeeded/);
    const record = await ctx.api('GET', `/v1/webhooks/${webhook.id}/deliveries/${attempt}`);
    assert.equal(record.body.next_retry_at, null);
  });

  it('answers 409 when the webhook is disabled, and sends nothing', async () => {
    const { webhook, delivery, received } = await deliver('disabled', [500]);
    const attempt = await firstAttemptId(webhook.id);
    await waitForTimers(ctx.system, delivery.workflow_id, 1);
    await ctx.system.database.db('webhooks').where({ id: webhook.id }).update({ enabled: false });
    const response = await retry(webhook.id, attempt);
    expectStatus(response, 409);
    assert.match(response.body.message, /disabled/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(received().length, 1);
  });

  it('lands two concurrent retries as one attempt: both answer 202 with its record, and one manual attempt is sent', async () => {
    const { webhook, delivery, received } = await deliver('concurrent', [500, 500]);
    const attempt = await firstAttemptId(webhook.id);
    await waitForTimers(ctx.system, delivery.workflow_id, 1);
    const answers = await Promise.all([retry(webhook.id, attempt), retry(webhook.id, attempt)]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [202, 202],
      JSON.stringify(answers.map((a) => a.body)),
    );
    assert.equal(answers[0]!.body.delivery_id, answers[1]!.body.delivery_id);
    await waitForTimers(ctx.system, delivery.workflow_id, 2);
    assert.deepEqual(
      received().map((r) => r.headers['x-lettermint-attempt']),
      ['1', '2'],
    );
    const events = await historyEvents(ctx.system, delivery.workflow_id);
    assert.equal(
      events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).length,
      1,
    );
  });

  it('refuses a retry while an automatic attempt is in flight (409 naming why)', async () => {
    const { webhook, received } = await deliver('in-flight', ['hang']);
    while (received().length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    // Attempt 1 has no record before its outcome, and a retry names an attempt record: seed one as a test delivery has.
    const row = await ctx.system.database.db('deliveries').where({ webhook_id: webhook.id }).first();
    const [{ id }] = await ctx.system.database
      .db('attempts')
      .insert({
        id: randomUUID(),
        team_id: ctx.tenant.teamId,
        delivery_id: row.id,
        webhook_id: webhook.id,
        event_id: row.event_id,
        event_type: 'message.delivered',
        attempt_number: 1,
      })
      .returning('id');
    const response = await retry(webhook.id, id);
    expectStatus(response, 409);
    assert.match(response.body.message, /attempt of this delivery is in progress/);
    assert.equal(received().length, 1);
  });

  it('replays a delivery that failed for good: a new delivery, linked to it, sends the same payload at once', async () => {
    const { webhook, delivery, received } = await deliver('replay', [500]);
    const attempt = await firstAttemptId(webhook.id);
    // The twelve attempts and their 1 h 55 min of timers, skipped.
    await ctx.system.client.workflow
      .getHandle(delivery.workflow_id)
      .result()
      .catch(() => undefined);
    assert.equal(received().length, DELIVERY_SCHEDULE.length);

    const response = await retry(webhook.id, attempt);
    expectStatus(response, 202);
    await ctx.receiver.waitForRequests(ctx.receiver.requests.length + 1, 10_000).catch(() => undefined);
    const replayed = received().at(-1)!;
    assert.equal(received().length, DELIVERY_SCHEDULE.length + 1);
    assert.equal(replayed.headers['x-lettermint-attempt'], '1');
    assert.equal(replayed.body, received()[0]!.body);

    const record = await ctx.api('GET', `/v1/webhooks/${webhook.id}/deliveries/${response.body.delivery_id}`);
    expectStatus(record, 200);
    assert.equal(record.body.attempt_number, 1);
    assert.notEqual(record.body.delivery_id, delivery.id);
    const replay = await ctx.api('GET', `/v1/deliveries/${record.body.delivery_id}`);
    assert.equal(replay.body.replay_of, delivery.id);
  });

  it("answers 404 for another team's attempt record and for unknown ids", async () => {
    const { webhook } = await deliver('other-team', [200]);
    const attempt = await firstAttemptId(webhook.id);
    const stranger = await createTenant(ctx.system.database.db);
    expectStatus(await retry(webhook.id, attempt, stranger.token), 404);
    expectStatus(await retry(webhook.id, '00000000-0000-4000-8000-000000000000'), 404);
    expectStatus(await retry('00000000-0000-4000-8000-000000000000', attempt), 404);
  });
});
