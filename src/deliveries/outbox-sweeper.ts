import type { Logger } from 'pino';
import type { Stores } from '../store/create-stores';
import type { DeliveryStarter } from './delivery-starter';

export interface OutboxSweeperOptions {
  /** Rows younger than this are still being started by the request that created them. @default 10_000 */
  graceMs?: number;
  /** @default 500 */
  batchSize?: number;
}

/**
 * Starts deliveries that were committed to Postgres but never reached Temporal (a crash or a Temporal outage
 * between the two). This is what makes an accepted event impossible to lose.
 */
export class OutboxSweeper {
  constructor(
    private readonly deps: { stores: Pick<Stores, 'outbox'>; starter: DeliveryStarter; logger: Logger },
    private readonly options: OutboxSweeperOptions = {},
  ) {}

  /** One pass; returns how many deliveries it started. */
  async sweepOnce(): Promise<number> {
    const stranded = await this.deps.stores.outbox.listUnstarted({
      createdBefore: new Date(Date.now() - (this.options.graceMs ?? 10_000)),
      limit: this.options.batchSize ?? 500,
    });
    if (stranded.length === 0) return 0;
    const started = await this.deps.starter.start(stranded);
    this.deps.logger.info({ found: stranded.length, started }, 'outbox sweeper started stranded deliveries');
    return started;
  }
}
