import assert from 'node:assert/strict';
import { DEFAULT_ATTEMPT_TIMEOUT_MS, MAX_RESPONSE_BYTES } from '../../activities/post-webhook';
import { auditDelivery, printAudits } from '../support/faults/delivery-audit';
import { useFaultHarness } from '../support/faults/use-fault-harness';

/**
 * Receivers that answer, but badly. The worker is the production one (worker-main.ts in a child process), so
 * these prove the defaults: the 30 s deadline and the 64 KiB cap.
 */
describe('fault injection: a hostile receiver (production poster in a worker process)', function () {
  this.timeout(90_000);
  const ctx = useFaultHarness({ receiver: 'per-test', fileWorkers: 1, killWorkersAfterEachTest: false });

  it('records a trickling answer as a timeout after the default 30 s and retries it on schedule', async () => {
    // The head at once, then a byte a second for 45 s: never a complete response within 30 s.
    ctx.receiver.behave = (post) =>
      post.attemptNumber === 1
        ? { kind: 'trickle', status: 200, everyMs: 1_000, bytes: 45 }
        : { kind: 'answer', status: 200 };
    const webhookId = await ctx.harness.createWebhook(ctx.receiver.url);
    const delivery = await ctx.harness.startDelivery({ label: 'trickle', webhookId, schedule: [0, 1_000] });

    const audit = await auditDelivery(ctx.harness, ctx.receiver, delivery, {
      status: 'success',
      attempts: 2,
      maxDuplicates: 0,
      closeWithinMs: 60_000,
    });
    printAudits('receiver trickles a byte a second', [audit]);
    const first = await ctx.harness
      .db('attempts')
      .where({ delivery_id: delivery.deliveryId, attempt_number: 1 })
      .first();
    const post = ctx.receiver.postsFor(delivery.envelopeId)[0]!;
    console.log(
      `        attempt 1: ${first.status}, duration_ms ${first.duration_ms}, http ${first.http_status_code}, ${first.response_body?.length} body bytes kept, ` +
        `"${first.error_message}"; the receiver saw the connection closed after ${post.endedAt! - post.receivedAt} ms having sent ${post.bytesWritten} bytes`,
    );
    assert.equal(first.status, 'timeout');
    assert.ok(
      first.duration_ms >= DEFAULT_ATTEMPT_TIMEOUT_MS && first.duration_ms < DEFAULT_ATTEMPT_TIMEOUT_MS + 1_500,
      `duration ${first.duration_ms} ms`,
    );
    assert.match(first.error_message, /no complete response within 30s/);
    assert.equal(first.http_status_code, 200, 'the head that did arrive is kept');
    assert.ok(post.abandoned && post.bytesWritten < 45, 'the poster hung up instead of waiting for the end');
  });

  it('keeps exactly 64 KiB of a 50 MiB or endless body and finishes the attempt at once', async () => {
    const FIFTY_MIB = 50 * 1024 * 1024;
    // Set before the deliveries start: their POSTs can arrive before startDelivery returns.
    ctx.receiver.behave = (post) =>
      post.body.includes('"label":"body-50MiB"')
        ? { kind: 'flood', status: 200, totalBytes: FIFTY_MIB, contentLength: true }
        : // Chunked with no end in sight (bounded at 1 GiB so the test cannot run away).
          { kind: 'flood', status: 200, totalBytes: 1024 * FIFTY_MIB, contentLength: false };
    const webhookId = await ctx.harness.createWebhook(ctx.receiver.url);
    const sized = await ctx.harness.startDelivery({ label: 'body-50MiB', webhookId, schedule: [0, 1_000] });
    const endless = await ctx.harness.startDelivery({ label: 'body-endless', webhookId, schedule: [0, 1_000] });

    const audits = await Promise.all(
      [sized, endless].map((d) =>
        auditDelivery(ctx.harness, ctx.receiver, d, {
          status: 'success',
          attempts: 1,
          maxDuplicates: 0,
          closeWithinMs: 40_000,
        }),
      ),
    );
    printAudits('receiver floods the body', audits);
    for (const delivery of [sized, endless]) {
      const record = await ctx.harness
        .db('attempts')
        .where({ delivery_id: delivery.deliveryId, attempt_number: 1 })
        .first();
      const post = ctx.receiver.postsFor(delivery.envelopeId)[0]!;
      const kept = Buffer.byteLength(record.response_body, 'utf8');
      console.log(
        `        ${delivery.label}: ${record.status}, duration_ms ${record.duration_ms}, response_body ${kept} bytes; ` +
          `the receiver pushed ${post.bytesWritten} bytes before the poster hung up after ${post.endedAt! - post.receivedAt} ms`,
      );
      assert.equal(record.status, 'success');
      assert.equal(kept, MAX_RESPONSE_BYTES);
      assert.ok(record.duration_ms < 5_000, `${delivery.label}: took ${record.duration_ms} ms`);
      assert.ok(post.abandoned && post.bytesWritten < FIFTY_MIB, `${delivery.label}: the poster read the whole body`);
    }
  });
});
