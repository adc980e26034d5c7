import type { Knex } from 'knex';
import type { Database } from '../db/create-database';
import { MODE_FILTER_RECEIVING_NO_EVENT } from './delivery-mode-filter';
import type { Delivery } from './delivery';
import { toDelivery, type DeliveryRow } from './delivery-row';

/** Everything starting a delivery's workflow needs: ids for its input and search attributes, and where it goes. */
export interface DeliveryToStart {
  deliveryId: string;
  /** Whose delivery it is: starts are handed to Temporal a team at a time. */
  teamId: string;
  workflowId: string;
  webhookId: string;
  routeId: string;
  projectId: string;
  eventType: string;
  /** The webhook's URL now; only its host is shown (in the Web UI's summary), never its path. */
  url: string;
}

/**
 * Postgres as the outbox of workflow starts: a delivery is committed before its workflow is started, and is marked
 * once Temporal has it, so whatever was committed but never started can be found and started later.
 */
export class DeliveryOutbox {
  constructor(private readonly db: Database) {}

  /**
   * One delivery per enabled webhook of the route that subscribes to the event (a machine's open or click only to
   * webhooks that take machine events; none to a `sandbox`-only webhook, as every event is live), in webhook
   * creation order: inserted and answered, with what starting each needs, in one statement.
   */
  async createForEvent(input: {
    teamId: string;
    eventId: string;
    routeId: string;
    projectId: string;
    eventType: string;
    machine: boolean;
  }): Promise<{ deliveries: Delivery[]; toStart: DeliveryToStart[] }> {
    const result = await this.db.raw<{ rows: Array<DeliveryRow & { url: string }> }>(
      `WITH subscribed AS (
         SELECT gen_random_uuid() AS id, w.id AS webhook_id, w.url, w.created_at
           FROM webhooks w
          WHERE w.route_id = ? AND w.enabled AND w.deleted_at IS NULL AND ? = ANY(w.events)
            AND (NOT ?::boolean OR w.include_machine_events) AND w.delivery_mode_filter IS DISTINCT FROM ?
       ), inserted AS (
         INSERT INTO deliveries (id, team_id, event_id, webhook_id, route_id, workflow_id)
         SELECT s.id, ?, ?, s.webhook_id, ?, 'delivery:' || ?::text || ':' || s.id FROM subscribed s
         RETURNING *
       )
       SELECT i.*, s.url FROM inserted i JOIN subscribed s ON s.id = i.id ORDER BY s.created_at, s.webhook_id`,
      [
        input.routeId,
        input.eventType,
        input.machine,
        MODE_FILTER_RECEIVING_NO_EVENT,
        input.teamId,
        input.eventId,
        input.routeId,
        input.eventType,
      ],
    );
    return {
      deliveries: result.rows.map(toDelivery),
      toStart: result.rows.map((row) => ({
        deliveryId: row.id,
        teamId: input.teamId,
        workflowId: row.workflow_id,
        webhookId: row.webhook_id,
        routeId: row.route_id,
        projectId: input.projectId,
        eventType: input.eventType,
        url: row.url,
      })),
    };
  }

  /** What starting these deliveries needs, in one query. */
  async listToStart(ids: readonly string[]): Promise<DeliveryToStart[]> {
    if (ids.length === 0) return [];
    return this.selectToStart()
      .whereIn('d.id', ids)
      .orderBy([{ column: 'd.created_at' }, { column: 'd.id' }]);
  }

  /** Pending deliveries committed before `createdBefore` whose workflow was never started: the outbox. */
  async listUnstarted(options: { createdBefore: Date; limit: number }): Promise<DeliveryToStart[]> {
    return this.selectToStart()
      .whereNull('d.workflow_started_at')
      .where('d.status', 'pending')
      .where('d.created_at', '<', options.createdBefore)
      .orderBy('d.created_at')
      .limit(options.limit) as Promise<DeliveryToStart[]>;
  }

  async markWorkflowStarted(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db('deliveries')
      .whereIn('id', ids)
      .whereNull('workflow_started_at')
      .update({ workflow_started_at: this.db.fn.now() });
  }

  /** Hands a pending delivery back to the outbox: its workflow is to be started again. */
  async markUnstarted(id: string): Promise<boolean> {
    const count = await this.db('deliveries')
      .where({ id, status: 'pending' })
      .whereNotNull('workflow_started_at')
      .update({ workflow_started_at: null });
    return count > 0;
  }

  private selectToStart(): Knex.QueryBuilder {
    return this.db('deliveries as d')
      .join('events as e', 'e.id', 'd.event_id')
      .join('routes as r', 'r.id', 'd.route_id')
      .join('webhooks as w', 'w.id', 'd.webhook_id')
      .select({
        deliveryId: 'd.id',
        teamId: 'd.team_id',
        workflowId: 'd.workflow_id',
        webhookId: 'd.webhook_id',
        routeId: 'd.route_id',
        projectId: 'r.project_id',
        eventType: 'e.event_type',
        url: 'w.url',
      });
  }
}
