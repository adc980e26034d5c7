import { randomUUID } from 'node:crypto';
import type { Database } from '../db/create-database';
import { DeliveryNotReplayableError } from '../errors/delivery-not-replayable-error';
import { NotFoundError } from '../errors/not-found-error';
import { DeliveryStore, type Delivery } from '../store/delivery-store';
import { deliveryWorkflowId, type DeliveryStarter } from './delivery-starter';
import { targetHostOf } from './target-host';

/**
 * A replay is a new delivery of the same stored event (same envelope `id`, same bytes) to the same webhook, on the
 * full schedule, linked to the delivery it replays. Receivers that de-duplicate on the envelope id see it as the
 * same event, which is the point: a replay is a second chance, not a second event.
 */
export class DeliveryReplayer {
  constructor(
    private readonly db: Database,
    private readonly starter: DeliveryStarter,
  ) {}

  async replay(teamId: string, originalId: string, options: { replayJobId?: string } = {}): Promise<Delivery> {
    const context = await this.db('deliveries as d')
      .join('events as e', 'e.id', 'd.event_id')
      .join('routes as r', 'r.id', 'd.route_id')
      .join('webhooks as w', 'w.id', 'd.webhook_id')
      .where({ 'd.id': originalId, 'd.team_id': teamId })
      .first<
        | {
            status: string;
            event_type: string;
            project_id: string;
            url: string;
            enabled: boolean;
            deleted_at: Date | null;
          }
        | undefined
      >('d.status', 'e.event_type', 'r.project_id', 'w.url', 'w.enabled', 'w.deleted_at');
    if (!context) throw new NotFoundError('Delivery');
    if (context.status === 'pending') {
      throw new DeliveryNotReplayableError('pending');
    }
    if (context.deleted_at) throw new DeliveryNotReplayableError('webhook_deleted');
    if (!context.enabled) throw new DeliveryNotReplayableError('webhook_disabled');

    const original = (await new DeliveryStore(this.db).findById(originalId, teamId))!;
    const replay = await this.insertOnce(original, options.replayJobId);
    if (!replay.workflowStartedAt) {
      await this.starter.start([
        {
          deliveryId: replay.id,
          workflowId: replay.workflowId,
          webhookId: replay.webhookId,
          routeId: replay.routeId,
          projectId: context.project_id,
          eventType: context.event_type,
          targetHost: targetHostOf(context.url),
        },
      ]);
    }
    return (await new DeliveryStore(this.db).findById(replay.id))!;
  }

  /** Within a bulk job, a delivery is replayed at most once, however often the job resumes. */
  private async insertOnce(original: Delivery, replayJobId: string | undefined): Promise<Delivery> {
    const store = new DeliveryStore(this.db);
    if (replayJobId) {
      const existing = await this.db('deliveries')
        .where({ replay_job_id: replayJobId, replay_of: original.id })
        .first('id');
      if (existing) return (await store.findById(existing.id))!;
    }
    const id = randomUUID();
    const eventType = (await this.db('events').where({ id: original.eventId }).first('event_type'))
      .event_type as string;
    const [inserted] = await store.insertMany([
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
