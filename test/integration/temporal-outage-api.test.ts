import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { createWebhookRow } from '../support/system/fixtures';
import { type ApiResponse } from '../support/system/test-system';
import { useTestSystem } from '../support/system/use-test-system';
import { waitFor, waitUntil } from '../support/system/wait-until';

/** A trigger answers once its transaction commits; the start it tries after that gives up after 800 ms. */
const TRIGGER_BOUND_MS = 1_000;
/** A read asks Temporal for at most 2 s before it answers from Postgres. */
const READ_BOUND_MS = 2_500;

describe('Temporal down: the API keeps answering, from Postgres (dev server stopped and started again)', function () {
  this.timeout(150_000);

  const ctx = useTestSystem({ temporal: 'dev-server', receiver: true, tenant: true });

  /** The request's answer and how long it took. */
  async function timed<T = any>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiResponse<T> & { elapsedMs: number }> {
    const started = Date.now();
    const response = await ctx.system.api<T>(method, path, { token: ctx.tenant.token, body });
    return { ...response, elapsedMs: Date.now() - started };
  }

  const row = (id: string) => ctx.system.database.db('deliveries').where({ id }).first();
  const postsTo = (path: string) => ctx.receiver.requests.filter((r) => r.path.endsWith(`/${path}`));

  it('accepts triggers within a second, reads and cancels from Postgres, replays, and catches up once Temporal is back', async () => {
    ctx.receiver.answer = (request) => (request.path.endsWith('/retrying') ? { status: 500 } : { status: 200 });
    for (const [path, event] of [
      ['done', 'message.delivered'],
      ['retrying', 'message.sent'],
      ['during', 'message.created'],
    ] as const) {
      await createWebhookRow(ctx.system.database.db, {
        ...ctx.tenant,
        url: `${ctx.receiver.url}/${path}`,
        events: [event],
      });
    }
    const trigger = (event: string) => timed('POST', '/v1/events', { route_id: ctx.tenant.routeId, event, data: {} });

    // Before the outage: one delivery that succeeded, one waiting a minute for its attempt 2.
    const done = (await trigger('message.delivered')).body.data.deliveries[0];
    const retrying = (await trigger('message.sent')).body.data.deliveries[0];
    assert.deepEqual(await ctx.system.client.workflow.getHandle(done.workflow_id).result(), {
      status: 'success',
      attempts: 1,
    });
    await waitFor(async () => (await row(retrying.id)).attempts_count === 1);

    const answers: Record<string, ApiResponse & { elapsedMs: number }> = {};
    let during: { id: string; workflow_id: string } | undefined;
    let stoppedAt = 0;
    let unstartedDuringOutage: { during: unknown; replay: unknown } | undefined;
    await ctx.system.restartTemporal(async () => {
      stoppedAt = Date.now();
      answers.trigger = await trigger('message.created');
      during = answers.trigger.body.data?.deliveries?.[0];
      answers.readPending = await timed('GET', `/v1/deliveries/${retrying.id}`);
      answers.readUnstarted = await timed('GET', `/v1/deliveries/${during?.id}`);
      answers.cancel = await timed('POST', `/v1/deliveries/${retrying.id}/cancel`);
      answers.replay = await timed('POST', `/v1/deliveries/${done.id}/replay`);
      // Read while Temporal is still down: once it is back, a start that was still retrying in the background may
      // land before the sweeper's (both are fine; the outage is what this checks).
      const replayId = (answers.replay.body.data as { id?: string } | undefined)?.id;
      unstartedDuringOutage = {
        during: during ? (await row(during.id)).workflow_started_at : 'no delivery',
        replay: replayId ? (await row(replayId)).workflow_started_at : 'no replay',
      };
    });
    const backAt = Date.now();
    console.log(
      `        Temporal down ${backAt - stoppedAt} ms; ` +
        Object.entries(answers)
          .map(([what, answer]) => `${what} ${answer.status} in ${answer.elapsedMs} ms`)
          .join(', '),
    );

    for (const [what, answer] of Object.entries(answers)) {
      assert.ok(answer.status < 500, `${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    assert.equal(answers.trigger!.status, 202);
    assert.ok(answers.trigger!.elapsedMs < TRIGGER_BOUND_MS, `the trigger took ${answers.trigger!.elapsedMs} ms`);
    assert.ok(during, 'the trigger answered its delivery');
    assert.equal(unstartedDuringOutage?.during, null, 'its workflow is not started while Temporal is down');

    assert.equal(answers.readPending!.status, 200);
    assert.equal(answers.readPending!.body.status, 'pending');
    assert.equal(answers.readPending!.body.temporal_reachable, false, 'the read says Temporal could not be asked');
    assert.ok(answers.readPending!.elapsedMs < READ_BOUND_MS, `the read took ${answers.readPending!.elapsedMs} ms`);
    assert.equal(answers.readUnstarted!.status, 200);
    assert.equal(answers.readUnstarted!.body.temporal_reachable, null, 'a workflow never started is not asked about');

    assert.equal(answers.cancel!.status, 200);
    assert.equal(answers.cancel!.body.data.status, 'cancelled');
    assert.equal((await row(retrying.id)).status, 'cancelled');
    assert.ok((await row(retrying.id)).cancel_requested_at, 'the cancel waits in the outbox for Temporal');

    assert.equal(answers.replay!.status, 202);
    const replay = answers.replay!.body.data as { id: string; workflow_id: string; replay_of: string };
    assert.equal(replay.replay_of, done.id);
    assert.equal(unstartedDuringOutage?.replay, null, 'the replay is not started while Temporal is down');

    // Temporal is back: the outbox sweeper starts what was accepted (rows older than its 10 s grace), once.
    await waitUntil(
      async () => {
        await ctx.system.sweeper.sweepOnce();
        return (await row(during!.id)).workflow_started_at !== null && (await row(replay.id)).workflow_started_at;
      },
      'the outbox sweeper starting the deliveries accepted while Temporal was down',
      45_000,
      1_000,
    );
    for (const started of [during, replay]) {
      assert.deepEqual(await ctx.system.client.workflow.getHandle(started.workflow_id).result(), {
        status: 'success',
        attempts: 1,
      });
      assert.equal((await row(started.id)).status, 'success');
    }
    await ctx.system.sweeper.sweepOnce(); // a second pass finds nothing to start again
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(postsTo('during').length, 1, 'the event accepted while Temporal was down was delivered once');
    assert.equal(postsTo('done').length, 2, 'the original and its replay, once each');

    // The cancellation sweep tells the waiting workflow, which ends Canceled without another attempt.
    await waitUntil(
      async () => {
        await ctx.system.deps.canceller.sendPendingCancels();
        return (await ctx.system.stores.cancellations.countToSend()) === 0;
      },
      'the cancellation sweep telling Temporal',
      30_000,
      500,
    );
    const handle = ctx.system.client.workflow.getHandle(retrying.workflow_id);
    await assert.rejects(
      handle.result(),
      (err: unknown) => err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure,
    );
    assert.equal((await handle.describe()).status.name, 'CANCELLED');
    const cancelled = await row(retrying.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.status_reason, 'cancelled via API', 'the reason the customer gave stands');
    assert.equal(postsTo('retrying').length, 1, 'no attempt after the cancel');
  });
});
