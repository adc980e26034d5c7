import { DELIVERY_STATUSES, type DeliveryStatus, type FinalDeliveryStatus } from '../../workflows/delivery-status';
import type { Database } from '../db/create-database';
import type { Delivery, NewDelivery } from './delivery';
import { toDelivery, type DeliveryRow } from './delivery-row';

/** What deciding on a replay needs: the delivery, its event type and the state of its webhook. */
export interface ReplayContext {
  delivery: Delivery;
  eventType: string;
  webhookState: 'active' | 'disabled' | 'deleted';
}

export class DeliveryStore {
  constructor(private readonly db: Database) {}

  async insertMany(deliveries: NewDelivery[]): Promise<Delivery[]> {
    if (deliveries.length === 0) return [];
    const rows = await this.db<DeliveryRow>('deliveries')
      .insert(
        deliveries.map((d) => ({
          id: d.id,
          team_id: d.teamId,
          event_id: d.eventId,
          webhook_id: d.webhookId,
          route_id: d.routeId,
          workflow_id: d.workflowId,
          replay_of: d.replayOf ?? null,
          replay_job_id: d.replayJobId ?? null,
        })),
      )
      .returning('*');
    return rows.map(toDelivery);
  }

  async findById(id: string, teamId?: string): Promise<Delivery | undefined> {
    const query = this.db<DeliveryRow>('deliveries').where({ id });
    if (teamId) query.andWhere({ team_id: teamId });
    const row = await query.first();
    return row && toDelivery(row);
  }

  /** The first deliveries of an event, in webhook creation order (replays are not among them). */
  async listOriginalsForEvent(eventId: string): Promise<Delivery[]> {
    const rows = await this.db<DeliveryRow>('deliveries')
      .where({ event_id: eventId })
      .whereNull('replay_of')
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map(toDelivery);
  }

  /**
   * Pending deliveries that look stuck: the next attempt was due long ago and never recorded, or the workflow
   * started long ago without a first attempt. Their workflows may have closed with the last write lost.
   */
  async listOverdue(options: { dueBefore: Date; limit: number }): Promise<Delivery[]> {
    const rows: DeliveryRow[] = await this.db('deliveries')
      .where({ status: 'pending' })
      .whereNotNull('workflow_started_at')
      .where((q) =>
        q
          .where('next_attempt_at', '<', options.dueBefore)
          .orWhere((first) =>
            first
              .whereNull('next_attempt_at')
              .where('attempts_count', 0)
              .where('workflow_started_at', '<', options.dueBefore),
          ),
      )
      .orderBy('updated_at')
      .limit(options.limit);
    return rows.map(toDelivery);
  }

  async findPendingIdByWorkflowId(workflowId: string): Promise<string | undefined> {
    const row = await this.db('deliveries').where({ workflow_id: workflowId, status: 'pending' }).first('id');
    return row?.id as string | undefined;
  }

  async findReplayContext(teamId: string, id: string): Promise<ReplayContext | undefined> {
    const row = await this.db('deliveries as d')
      .join('events as e', 'e.id', 'd.event_id')
      .join('webhooks as w', 'w.id', 'd.webhook_id')
      .where({ 'd.id': id, 'd.team_id': teamId })
      .first<
        (DeliveryRow & { event_type: string; webhook_enabled: boolean; webhook_deleted_at: Date | null }) | undefined
      >('d.*', 'e.event_type', 'w.enabled as webhook_enabled', 'w.deleted_at as webhook_deleted_at');
    if (!row) return undefined;
    const webhookState = row.webhook_deleted_at ? 'deleted' : row.webhook_enabled ? 'active' : 'disabled';
    return { delivery: toDelivery(row), eventType: row.event_type, webhookState };
  }

  /** The replay a bulk job already made of a delivery, if any: a job replays each delivery at most once. */
  async findReplayInJob(replayJobId: string, originalId: string): Promise<Delivery | undefined> {
    const row: DeliveryRow | undefined = await this.db('deliveries')
      .where({ replay_job_id: replayJobId, replay_of: originalId })
      .first();
    return row && toDelivery(row);
  }

  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const rows: Array<{ status: string; n: string }> = await this.db('deliveries')
      .select('status')
      .count({ n: '*' })
      .groupBy('status');
    return Object.fromEntries(
      DELIVERY_STATUSES.map((status) => [status, Number(rows.find((r) => r.status === status)?.n ?? 0)]),
    ) as Record<DeliveryStatus, number>;
  }

  /** Moves a pending delivery to a final status; a delivery already final keeps its status. */
  async finish(id: string, status: FinalDeliveryStatus, reason: string | null): Promise<boolean> {
    // next_attempt_at and finished_at follow: a finished delivery has no next attempt.
    const count = await this.db('deliveries').where({ id, status: 'pending' }).update({
      status,
      status_reason: reason,
      next_attempt_at: null,
      finished_at: this.db.fn.now(),
      updated_at: this.db.fn.now(),
    });
    return count > 0;
  }

  async listPendingForWebhooks(webhookIds: string[]): Promise<Delivery[]> {
    if (webhookIds.length === 0) return [];
    const rows = await this.db<DeliveryRow>('deliveries')
      .whereIn('webhook_id', webhookIds)
      .where({ status: 'pending' });
    return rows.map(toDelivery);
  }
}
