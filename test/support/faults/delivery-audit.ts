import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { FaultDelivery, FaultHarness } from './fault-harness';
import type { FaultReceiver } from './fault-receiver';

const EventType = temporal.api.enums.v1.EventType;
const FINAL_STATUSES = ['success', 'failed', 'cancelled'];

/** What a fault left behind for one delivery, once its workflow closed. */
export interface DeliveryAudit {
  label: string;
  deliveryId: string;
  status: string;
  /** Attempts recorded in Postgres (1..n, no gaps). */
  attempts: number;
  attemptStatuses: string[];
  /** POSTs the receiver got for this delivery. */
  posts: number;
  /** POSTs beyond one per recorded attempt: what at-least-once delivery costs. */
  duplicates: number;
  /** Outcomes the attempt could not write itself, written later by `recordSealedAttempt`. */
  recordedLater: number;
  /** `startToFireTimeout` of every timer, from the workflow history. */
  timersMs: number[];
  /** Wall clock from attempt n's end (its record) to the first POST of attempt n+1. */
  gapsMs: number[];
  /**
   * Per attempt number, the tries of its queued-lane activity `attemptInQueuedLane` (>1: a lost worker or an
   * unreadable database before sending). An attempt sent from the fast lane (a local activity) has no entry.
   */
  queuedTries: Record<number, number>;
}

/**
 * Waits for the delivery's workflow to close, then checks the no-loss invariants: a final status, one complete
 * record per attempt 1..n, a POST for every attempt, every step of the schedule as a timer of exactly its length,
 * and no more duplicate POSTs than `maxDuplicates`.
 */
export async function auditDelivery(
  harness: FaultHarness,
  receiver: FaultReceiver,
  delivery: FaultDelivery,
  expected: { status: 'success' | 'failed'; attempts: number; maxDuplicates: number; closeWithinMs: number },
): Promise<DeliveryAudit> {
  await closed(delivery, expected.closeWithinMs);
  const row = await harness.db('deliveries').where({ id: delivery.deliveryId }).first();
  const records = await harness.db('attempts').where({ delivery_id: delivery.deliveryId }).orderBy('attempt_number');
  const { label } = delivery;

  assert.ok(FINAL_STATUSES.includes(row.status), `${label}: delivery left ${row.status}`);
  assert.equal(row.status, expected.status, `${label}: delivery status`);
  assert.deepEqual(
    records.map((r) => r.attempt_number),
    range(1, expected.attempts),
    `${label}: one record per attempt, no gaps`,
  );
  assert.equal(row.attempts_count, expected.attempts, `${label}: deliveries.attempts_count`);
  for (const record of records) {
    assert.notEqual(record.status, 'pending', `${label}: attempt ${record.attempt_number} has no outcome`);
    assert.ok(
      record.started_at && record.finished_at && record.duration_ms !== null,
      `${label}: attempt ${record.attempt_number} incomplete`,
    );
    assert.ok(
      record.request_headers?.['X-Lettermint-Attempt'] === String(record.attempt_number),
      `${label}: attempt ${record.attempt_number} request headers`,
    );
  }

  const posts = receiver.postsFor(delivery.envelopeId);
  for (const n of range(1, expected.attempts)) {
    assert.ok(
      posts.some((p) => p.attemptNumber === n),
      `${label}: the receiver never got attempt ${n}`,
    );
  }
  assert.ok(
    posts.every((p) => p.attemptNumber >= 1 && p.attemptNumber <= expected.attempts),
    `${label}: a POST beyond the recorded attempts`,
  );
  assert.equal(new Set(posts.map((p) => p.body)).size, 1, `${label}: the body changed between POSTs`);
  const duplicates = posts.length - records.length;
  assert.ok(
    duplicates >= 0 && duplicates <= expected.maxDuplicates,
    `${label}: ${duplicates} duplicate POSTs (allowed ${expected.maxDuplicates})`,
  );

  const history = await delivery.handle.fetchHistory();
  const events = history.events ?? [];
  const timersMs = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)
    .map((e) => {
      const timeout = e.timerStartedEventAttributes!.startToFireTimeout!;
      return Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6);
    });
  assert.deepEqual(
    timersMs,
    delivery.schedule.slice(1, expected.attempts),
    `${label}: the timers are not the schedule's steps`,
  );
  const scheduled = new Map<number, { name: string; attemptNumber?: number }>();
  for (const e of events) {
    if (e.eventType !== EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) continue;
    const attributes = e.activityTaskScheduledEventAttributes!;
    const input = attributes.input?.payloads?.[0];
    const decoded = input ? defaultPayloadConverter.fromPayload<{ attemptNumber?: number }>(input) : undefined;
    scheduled.set(Number(e.eventId), { name: attributes.activityType!.name!, attemptNumber: decoded?.attemptNumber });
  }
  const queuedTries: Record<number, number> = {};
  for (const e of events) {
    if (e.eventType !== EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) continue;
    const started = e.activityTaskStartedEventAttributes!;
    const activity = scheduled.get(Number(started.scheduledEventId));
    if (activity?.name === 'attemptInQueuedLane' && activity.attemptNumber !== undefined)
      queuedTries[activity.attemptNumber] = started.attempt ?? 1;
  }
  const recordedLater = [...scheduled.values()].filter((a) => a.name === 'recordSealedAttempt').length;

  const gapsMs = range(1, expected.attempts - 1).map((n) => {
    const next = posts.filter((p) => p.attemptNumber === n + 1).map((p) => p.receivedAt);
    return Math.min(...next) - new Date(records[n - 1]!.finished_at).getTime();
  });
  return {
    label,
    deliveryId: delivery.deliveryId,
    status: row.status,
    attempts: records.length,
    attemptStatuses: records.map((r) => r.status),
    posts: posts.length,
    duplicates,
    recordedLater,
    timersMs,
    gapsMs,
    queuedTries,
  };
}

/** One line per delivery, for the lead to quote. */
export function printAudits(fault: string, audits: DeliveryAudit[]): void {
  console.log(`      [${fault}]`);
  for (const a of audits) {
    console.log(
      `        ${a.label}: ${a.status} after ${a.attempts} attempt(s) [${a.attemptStatuses.join(', ')}]; ` +
        `POSTs received ${a.posts}, duplicates ${a.duplicates}; records written later by recordSealedAttempt ${a.recordedLater}; ` +
        `timers ${JSON.stringify(a.timersMs)} ms; gaps ${JSON.stringify(a.gapsMs)} ms; queued-lane tries per attempt ${JSON.stringify(a.queuedTries)}`,
    );
  }
  const sum = (pick: (a: DeliveryAudit) => number) => audits.reduce((total, a) => total + pick(a), 0);
  console.log(
    `        total: ${audits.length} deliveries, ${sum((a) => a.attempts)} attempts, ${sum((a) => a.posts)} POSTs, ` +
      `${sum((a) => a.duplicates)} duplicates, ${sum((a) => a.recordedLater)} records recovered by recordSealedAttempt`,
  );
}

async function closed(delivery: FaultDelivery, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${delivery.label}: workflow still open after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([
      delivery.handle.result().catch((err: unknown) => {
        // A delivery that gave up ends Failed on purpose; the audit checks its records like any other.
        if (!(err instanceof WorkflowFailedError)) throw err;
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
