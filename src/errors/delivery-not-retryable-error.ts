import { ConflictError } from './conflict-error';

/**
 * Why an attempt record's delivery cannot be retried now (answered 409, README "Manual retry"). The first two are
 * the delivery workflow's own refusals (`ManualRetryRejection` in workflows/manual-retry-update.ts).
 */
export type NotRetryableReason =
  | 'attempt_in_progress'
  | 'retry_in_progress'
  | 'webhook_disabled'
  | 'succeeded'
  | 'cancelled'
  | 'not_running'
  | 'not_supported';

const MESSAGES: Record<NotRetryableReason, string> = {
  webhook_disabled: 'The webhook is disabled: enable it before retrying its deliveries.',
  succeeded: 'The delivery already succeeded: there is nothing to retry.',
  cancelled: 'The delivery was cancelled: replay it (POST /v1/deliveries/{id}/replay) to send it again.',
  attempt_in_progress: 'An attempt of this delivery is in progress: retry it once that attempt has finished.',
  retry_in_progress: 'A retry of this delivery is already in progress.',
  not_running: 'The workflow of this delivery is no longer running, so it cannot take a retry.',
  not_supported: 'This delivery runs on an older workflow that cannot take a manual retry; replay it instead.',
};

export class DeliveryNotRetryableError extends ConflictError {
  constructor(readonly reason: NotRetryableReason) {
    super(MESSAGES[reason]);
  }
}
