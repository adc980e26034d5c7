// Shared by the workflow (Temporal's deterministic sandbox), the activities and the worker: keep it free of imports.

/**
 * Where an attempt runs (ADR 6). `fast`: a local activity inside the delivery's own workflow task, the cheapest
 * path. `standard`: an ordinary activity on a task queue of its own, for attempts the fast lane could not take
 * (its origin or team at its share, or the fast path failed before sending). `slow`: the same, for origins that keep
 * timing out, so they wait among themselves. A lane changes where an attempt runs, never when the next one is due.
 */
export const ATTEMPT_LANES = ['fast', 'standard', 'slow'] as const;
export type AttemptLane = (typeof ATTEMPT_LANES)[number];
export type QueuedLane = Exclude<AttemptLane, 'fast'>;

/** The task queue of a queued lane, beside the deliveries' own (`webhook-deliveries` → `webhook-deliveries-slow`). */
export function laneTaskQueue(deliveryTaskQueue: string, lane: QueuedLane): string {
  return `${deliveryTaskQueue}-${lane}`;
}
