import type { Knex } from 'knex';
import type { Database } from '../db/create-database';

/** Everything starting a delivery's workflow needs: ids for its input and search attributes, and where it goes. */
export interface DeliveryToStart {
  deliveryId: string;
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

  /** What starting these deliveries needs, in one query. */
  async listToStart(ids: readonly string[]): Promise<DeliveryToStart[]> {
    if (ids.length === 0) return [];
    return this.selectToStart()
      .whereIn('d.id', ids)
      .orderBy([{ column: 'd.created_at' }, { column: 'd.id' }]);
  }

  /** Deliveries committed before `createdBefore` whose workflow was never started: the outbox. */
  async listUnstarted(options: { createdBefore: Date; limit: number }): Promise<DeliveryToStart[]> {
    return this.selectToStart()
      .whereNull('d.workflow_started_at')
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

  private selectToStart(): Knex.QueryBuilder {
    return this.db('deliveries as d')
      .join('events as e', 'e.id', 'd.event_id')
      .join('routes as r', 'r.id', 'd.route_id')
      .join('webhooks as w', 'w.id', 'd.webhook_id')
      .select({
        deliveryId: 'd.id',
        workflowId: 'd.workflow_id',
        webhookId: 'd.webhook_id',
        routeId: 'd.route_id',
        projectId: 'r.project_id',
        eventType: 'e.event_type',
        url: 'w.url',
      });
  }
}
