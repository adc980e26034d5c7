import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { AttemptInput, FastAttemptOutcome } from '../../../activities/attempt-outcome';
import type { Database } from '../../../src/db/create-database';

const EventType = temporal.api.enums.v1.EventType;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

/** One attempt as the workflow saw it, read from its history. */
export interface AttemptInHistory {
  attemptNumber: number;
  /** Where its outcome came from: the fast lane's local-activity marker, or a queued lane's completed activity. */
  lane: 'fast' | 'standard' | 'slow';
  outcome: FastAttemptOutcome;
  /** Fast-lane runs that failed before sending (their reads failed or took too long): 0 or 1. */
  fastFailures: number;
  /** Tries of the queued-lane activity that gave the outcome (1 = first try); 0 in the fast lane. */
  queuedTries: number;
}

function decode<T>(payloads: Payloads): T | undefined {
  const payload = payloads?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<T>(payload) : undefined;
}

/**
 * Every attempt of a `webhookDeliveryWorkflow`, in order, as its history records it: each one's fast-lane marker
 * (a result, a deferral or a failure) and, when the fast lane did not finish it, the queued lane's activity.
 */
export async function attemptsInHistory(handle: WorkflowHandle): Promise<AttemptInHistory[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const attempts: AttemptInHistory[] = [];
  let fastFailures = 0;
  const scheduled = new Map<number, { input: AttemptInput & { lane: 'standard' | 'slow' }; type: string }>();
  const tries = new Map<number, number>();
  for (const event of events) {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_MARKER_RECORDED: {
        const marker = event.markerRecordedEventAttributes!;
        if (marker.markerName !== 'core_local_activity') break;
        if (marker.failure) {
          fastFailures++;
          break;
        }
        const outcome = decode<FastAttemptOutcome>(marker.details?.result);
        if (!outcome) throw new Error(`a local-activity marker without a result (event ${String(event.eventId)})`);
        if (outcome.kind === 'deferred') break; // the queued lane's activity follows
        attempts.push({ attemptNumber: attempts.length + 1, lane: 'fast', outcome, fastFailures, queuedTries: 0 });
        fastFailures = 0;
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const attributes = event.activityTaskScheduledEventAttributes!;
        const input = decode<AttemptInput & { lane: 'standard' | 'slow' }>(attributes.input);
        scheduled.set(Number(event.eventId), { input: input!, type: attributes.activityType!.name! });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const attributes = event.activityTaskStartedEventAttributes!;
        tries.set(Number(attributes.scheduledEventId), attributes.attempt ?? 1);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const attributes = event.activityTaskCompletedEventAttributes!;
        const id = Number(attributes.scheduledEventId);
        const activity = scheduled.get(id);
        if (activity?.type !== 'attemptInQueuedLane') break;
        attempts.push({
          attemptNumber: activity.input.attemptNumber,
          lane: activity.input.lane,
          outcome: decode<FastAttemptOutcome>(attributes.result)!,
          fastFailures,
          queuedTries: tries.get(id) ?? 1,
        });
        fastFailures = 0;
        break;
      }
    }
  }
  attempts.forEach((attempt, index) => {
    if (attempt.attemptNumber !== index + 1) {
      throw new Error(`attempt ${attempt.attemptNumber} found in history where attempt ${index + 1} belongs`);
    }
  });
  return attempts;
}

/** What Postgres holds of a delivery, set against what its workflow saw. */
export interface DeliveryAgreement {
  /** `deliveries.status`. */
  status: string;
  /** Temporal's execution status (`COMPLETED`, `FAILED`, …). */
  temporalStatus: string;
  attempts: AttemptInHistory[];
}

/**
 * Asserts that Postgres does not contradict Temporal about a closed delivery: one attempt record per attempt the
 * workflow saw sent, each with the outcome, HTTP code, duration and times the workflow got, none for an attempt
 * that stopped unsent, and a delivery status that says what the workflow's ending says.
 */
export async function assertPostgresAgreesWithTemporal(
  db: Database,
  handle: WorkflowHandle,
  deliveryId: string,
): Promise<DeliveryAgreement> {
  const description = await handle.describe();
  const temporalStatus = description.status.name;
  const attempts = await attemptsInHistory(handle);
  const delivery = await db('deliveries').where({ id: deliveryId }).first();
  const records = await db('attempts').where({ delivery_id: deliveryId }).orderBy('attempt_number');
  const sent = attempts.filter((a) => a.outcome.kind === 'sent');
  assert.deepEqual(
    records.map((r) => r.attempt_number),
    sent.map((a) => a.attemptNumber),
    `${deliveryId}: the attempt records are those the workflow saw sent`,
  );
  for (const [index, attempt] of sent.entries()) {
    if (attempt.outcome.kind !== 'sent') continue;
    const { summary } = attempt.outcome;
    const record = records[index];
    assert.deepEqual(
      {
        status: record.status,
        httpStatusCode: record.http_status_code,
        durationMs: record.duration_ms,
        errorMessage: record.error_message,
        startedAt: new Date(record.started_at).toISOString(),
        finishedAt: new Date(record.finished_at).toISOString(),
      },
      {
        status: summary.status,
        httpStatusCode: summary.httpStatusCode,
        durationMs: summary.durationMs,
        errorMessage: summary.errorMessage,
        startedAt: summary.startedAt,
        finishedAt: summary.finishedAt,
      },
      `${deliveryId}: attempt ${attempt.attemptNumber} in Postgres is what the workflow saw`,
    );
  }
  const expected: Record<string, string[]> = {
    COMPLETED: ['success', 'cancelled'],
    FAILED: ['failed'],
    CANCELLED: ['cancelled'],
    TERMINATED: ['cancelled'],
  };
  assert.ok(
    expected[temporalStatus]?.includes(delivery.status),
    `${deliveryId}: Postgres says ${delivery.status}, Temporal ${temporalStatus}`,
  );
  if (temporalStatus === 'COMPLETED') {
    const result = (await handle.result()) as { status: string };
    assert.equal(delivery.status, result.status, `${deliveryId}: Postgres says what the workflow returned`);
  }
  const last = attempts.at(-1);
  if (last?.outcome.kind === 'sent') {
    assert.equal(delivery.last_attempt_status, last.outcome.summary.status, `${deliveryId}: last attempt status`);
    assert.equal(delivery.attempts_count, last.attemptNumber, `${deliveryId}: attempts_count`);
  }
  return { status: delivery.status, temporalStatus, attempts };
}
