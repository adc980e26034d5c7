import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  MANUAL_RETRY_REJECTED_ERROR_TYPE,
  manualRetryUpdate,
  type ManualRetryRejection,
} from '../../workflows/manual-retry-update';
import { DeliveryNotRetryableError } from '../errors/delivery-not-retryable-error';
import { NotFoundError } from '../errors/not-found-error';
import { TemporalUnavailableError } from '../errors/temporal-unavailable-error';
import type { AttemptRecord } from '../store/attempt-record';
import type { AttemptContext } from '../store/attempt-store';
import type { Stores } from '../store/create-stores';
import type { DeliveryReplayer } from './delivery-replayer';
import { withinDeadline } from './within-deadline';

export interface ManualRetrierDependencies {
  client: Client;
  stores: Pick<Stores, 'attempts' | 'deliveries' | 'webhooks'>;
  replayer: Pick<DeliveryReplayer, 'replay'>;
  /** Longest a request waits for the delivery's workflow to take the retry. @default 8_000 */
  updateTimeoutMs?: number;
}

/** What a manual retry started: the attempt record it will fill, and whether it re-sent a failed delivery. */
export interface ManualRetryStarted {
  attempt: AttemptRecord;
  /** `true`: the delivery had failed for good, so the retry is a linked replay (a new delivery, attempt 1). */
  replayed: boolean;
}

/**
 * Lettermint's manual retry of an attempt record (ADR 10). A pending delivery is asked, by a Workflow Update, to make
 * its next attempt now (its validator refuses while an attempt or another retry is in progress); a delivery that
 * failed for good is replayed, linked to it. Either way the answer names the attempt record it starts, readable at once.
 */
export class ManualRetrier {
  constructor(private readonly deps: ManualRetrierDependencies) {}

  async retry(teamId: string, webhookId: string, attemptId: string): Promise<ManualRetryStarted> {
    const { stores } = this.deps;
    const [webhook, record] = await Promise.all([
      stores.webhooks.findById(teamId, webhookId),
      stores.attempts.findById(teamId, webhookId, attemptId),
    ]);
    if (!webhook) throw new NotFoundError('Webhook');
    if (!record) throw new NotFoundError('Delivery');
    if (!webhook.enabled) throw new DeliveryNotRetryableError('webhook_disabled');
    const delivery = await stores.deliveries.findById(record.deliveryId, teamId);
    if (!delivery) throw new NotFoundError('Delivery');
    const context: AttemptContext = {
      deliveryId: delivery.id,
      teamId,
      webhookId,
      eventId: record.eventId,
      eventType: record.eventType,
    };

    switch (delivery.status) {
      case 'success':
        throw new DeliveryNotRetryableError('succeeded');
      case 'cancelled':
        throw new DeliveryNotRetryableError('cancelled');
      case 'failed': {
        const replay = await this.deps.replayer.replay(teamId, delivery.id);
        const attempt = await stores.attempts.begin({ ...context, deliveryId: replay.id }, 1);
        return { attempt, replayed: true };
      }
      case 'pending': {
        // One update id per attempt the delivery has made: retries that race (two clicks, a client resending its
        // request) land as one attempt, and each answers with its record; a retry after that attempt is a new one.
        const updateId = `manual-retry:${delivery.id}:after-${delivery.attemptsCount}`;
        const { attemptNumber } = await this.askWorkflow(delivery.workflowId, updateId);
        return { attempt: await stores.attempts.beginManualRetry(context, attemptNumber), replayed: false };
      }
    }
  }

  /** The update, bounded in time; the workflow's refusals become 409s naming why. */
  private async askWorkflow(workflowId: string, updateId: string): Promise<{ attemptNumber: number }> {
    const { client } = this.deps;
    const deadline = Date.now() + (this.deps.updateTimeoutMs ?? 8_000);
    try {
      return await withinDeadline(client, deadline, () =>
        client.workflow.getHandle(workflowId).executeUpdate(manualRetryUpdate, { updateId }),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new DeliveryNotRetryableError('not_running');
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause;
        if (cause instanceof ApplicationFailure && cause.type === MANUAL_RETRY_REJECTED_ERROR_TYPE) {
          throw new DeliveryNotRetryableError(cause.details?.[0] as ManualRetryRejection);
        }
        // A delivery started by the frozen first workflow type has no handler for the update.
        throw new DeliveryNotRetryableError('not_supported');
      }
      if (Date.now() >= deadline) {
        throw new TemporalUnavailableError('Temporal did not answer in time; try the retry again shortly.');
      }
      throw err;
    }
  }
}
