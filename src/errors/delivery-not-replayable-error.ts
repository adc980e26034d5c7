import { ConflictError } from './conflict-error';

/** Why a delivery cannot be replayed now. A bulk replay skips such deliveries instead of failing. */
export type NotReplayableReason = 'pending' | 'webhook_deleted' | 'webhook_disabled';

const MESSAGES: Record<NotReplayableReason, string> = {
  pending: 'The delivery is still pending: cancel it or let it finish before replaying it.',
  webhook_deleted: 'The webhook of this delivery was deleted.',
  webhook_disabled: 'The webhook of this delivery is disabled.',
};

export class DeliveryNotReplayableError extends ConflictError {
  constructor(readonly reason: NotReplayableReason) {
    super(MESSAGES[reason]);
  }
}
