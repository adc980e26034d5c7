import type { Logger } from 'pino';
import type { Database } from '../db/create-database';
import { targetHostOf } from './target-host';
import type { DeliveryStarter, DeliveryToStart } from './delivery-starter';

export interface OutboxSweeperOptions {
  /** Rows younger than this are still being started by the request that created them. @default 10_000 */
  graceMs?: number;
  /** @default 5_000 */
  intervalMs?: number;
  /** @default 500 */
  batchSize?: number;
}

/**
 * Starts deliveries that were committed to Postgres but never reached Temporal (a crash or a Temporal outage
 * between the two). This is what makes an accepted event impossible to lose.
 */
export class OutboxSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly starter: DeliveryStarter,
    private readonly logger: Logger,
    private readonly options: OutboxSweeperOptions = {},
  ) {}

  /** One pass; returns how many deliveries it started. */
  async sweepOnce(): Promise<number> {
    const olderThan = new Date(Date.now() - (this.options.graceMs ?? 10_000));
    const rows: Array<DeliveryToStart & { url: string }> = await this.db('deliveries as d')
      .join('events as e', 'e.id', 'd.event_id')
      .join('routes as r', 'r.id', 'd.route_id')
      .join('webhooks as w', 'w.id', 'd.webhook_id')
      .whereNull('d.workflow_started_at')
      .where('d.created_at', '<', olderThan)
      .orderBy('d.created_at')
      .limit(this.options.batchSize ?? 500)
      .select({
        deliveryId: 'd.id',
        workflowId: 'd.workflow_id',
        webhookId: 'd.webhook_id',
        routeId: 'd.route_id',
        projectId: 'r.project_id',
        eventType: 'e.event_type',
        url: 'w.url',
      });
    if (rows.length === 0) return 0;
    const started = await this.starter.start(
      rows.map(({ url, ...row }) => ({ ...row, targetHost: targetHostOf(url) })),
    );
    this.logger.info({ found: rows.length, started }, 'outbox sweeper started stranded deliveries');
    return started;
  }

  start(): void {
    const tick = () => {
      this.running = this.sweepOnce()
        .catch((err) => this.logger.warn({ err }, 'outbox sweep failed; retrying on the next tick'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs ?? 5_000);
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs ?? 5_000);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
