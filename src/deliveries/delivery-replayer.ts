import { randomUUID } from 'node:crypto';
import { DeliveryNotReplayableError } from '../errors/delivery-not-replayable-error';
import { NotFoundError } from '../errors/not-found-error';
import type { Stores } from '../store/create-stores';
import type { Delivery } from '../store/delivery';
import type { DeliveryStarter } from './delivery-starter';
import { deliveryWorkflowId } from './delivery-workflow-id';

/**
 * A replay is a new delivery of the same stored event (same envelope `id`, same bytes) to the same webhook, on the
 * full schedule, linked to the delivery it replays. Receivers that de-duplicate on the envelope id see it as the
 * same event, which is the point: a replay is a second chance, not a second event.
 */
export class DeliveryReplayer {
  constructor(private readonly deps: { stores: Pick<Stores, 'deliveries'>; starter: DeliveryStarter }) {}

  async replay(teamId: string, originalId: string, options: { replayJobId?: string } = {}): Promise<Delivery> {
    const { deliveries } = this.deps.stores;
    const context = await deliveries.findReplayContext(teamId, originalId);
    if (!context) throw new NotFoundError('Delivery');
    if (context.delivery.status === 'pending') throw new DeliveryNotReplayableError('pending');
    if (context.webhookState === 'deleted') throw new DeliveryNotReplayableError('webhook_deleted');
    if (context.webhookState === 'disabled') throw new DeliveryNotReplayableError('webhook_disabled');

    const replay = await this.insertOnce(context.delivery, context.eventType, options.replayJobId);
    if (!replay.workflowStartedAt) await this.deps.starter.startCommittedSoon([replay.id]);
    return (await deliveries.findById(replay.id))!;
  }

  /** Within a bulk job, a delivery is replayed at most once, however often the job resumes. */
  private async insertOnce(original: Delivery, eventType: string, replayJobId: string | undefined): Promise<Delivery> {
    const { deliveries } = this.deps.stores;
    const existing = replayJobId ? await deliveries.findReplayInJob(replayJobId, original.id) : undefined;
    if (existing) return existing;
    const id = randomUUID();
    const [inserted] = await deliveries.insertMany([
      {
        id,
        teamId: original.teamId,
        eventId: original.eventId,
        webhookId: original.webhookId,
        routeId: original.routeId,
        workflowId: deliveryWorkflowId(eventType, id),
        replayOf: original.id,
        replayJobId: replayJobId ?? null,
      },
    ]);
    return inserted!;
  }
}
