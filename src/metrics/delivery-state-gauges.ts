import { Counter, Gauge, type Registry } from 'prom-client';
import { DELIVERY_STATUSES } from '../../workflows/delivery-status';
import type { DeliveryStateStore } from '../store/delivery-state-store';

/** How many webhooks the per-webhook gauge reports when it is on: the worst ones, to bound label cardinality. */
const WORST_WEBHOOKS = 50;

/** How often the API role refreshes these gauges. */
export const DELIVERY_STATE_REFRESH_MS = 30_000;

export interface DeliveryStateGaugeOptions {
  /**
   * Also report `tidehook_webhook_consecutive_failures{webhook_id}` for the worst webhooks
   * (`METRICS_WEBHOOK_LABELS`): webhook ids of every team, for an operator who wants them. @default false
   */
  webhookLabels?: boolean;
  /** Longest either aggregate may run; past it, the last values stay. @default 10_000 */
  statementTimeoutMs?: number;
}

/**
 * Delivery state from Postgres, so every API process reports the same truth whichever worker did the work. The
 * aggregates are whole-table reads: they run in the background at a fixed interval (`refresh`, single-flight,
 * under a statement timeout) and a scrape only reads the values kept in memory, so scrapes cost the database
 * nothing however many come (audit 2). No label names a webhook unless the operator asks.
 */
export class DeliveryStateGauges {
  private readonly deliveries: Gauge<'status'>;
  private readonly failingWebhooks: Gauge;
  private readonly maxFailures: Gauge;
  private readonly perWebhook: Gauge<'webhook_id'> | undefined;
  private readonly refreshedAt: Gauge;
  private readonly failures: Counter;
  private inFlight: Promise<void> | undefined;

  constructor(
    registry: Registry,
    private readonly store: DeliveryStateStore,
    private readonly options: DeliveryStateGaugeOptions = {},
  ) {
    this.deliveries = new Gauge({
      name: 'tidehook_deliveries',
      help: 'Deliveries by status (pending ones are waiting for an attempt or in one), as of the last refresh.',
      labelNames: ['status'],
      registers: [registry],
    });
    this.failingWebhooks = new Gauge({
      name: 'tidehook_failing_webhooks',
      help: 'Live webhooks whose attempts all failed since their last success (at least one).',
      registers: [registry],
    });
    this.maxFailures = new Gauge({
      name: 'tidehook_webhook_consecutive_failures_max',
      help: 'The longest run of failed attempts since a success, over all live webhooks.',
      registers: [registry],
    });
    this.perWebhook = options.webhookLabels
      ? new Gauge({
          name: 'tidehook_webhook_consecutive_failures',
          help: `Attempts that failed since the last success, for the ${WORST_WEBHOOKS} webhooks with the most.`,
          labelNames: ['webhook_id'],
          registers: [registry],
        })
      : undefined;
    this.refreshedAt = new Gauge({
      name: 'tidehook_delivery_state_refreshed_seconds',
      help: 'When the delivery-state gauges were last read from Postgres (unix seconds; 0: not yet).',
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'tidehook_delivery_state_refresh_failures_total',
      help: 'Refreshes of the delivery-state gauges that failed or ran out of time (the last values stay).',
      registers: [registry],
    });
    this.refreshedAt.set(0);
  }

  /** Reads the aggregates once; a call while one runs joins it. Throws after counting a failure. */
  refresh(): Promise<void> {
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async read(): Promise<void> {
    let state;
    try {
      state = await this.store.read({
        worst: this.perWebhook ? WORST_WEBHOOKS : 1,
        statementTimeoutMs: this.options.statementTimeoutMs ?? 10_000,
      });
    } catch (err) {
      this.failures.inc();
      throw err;
    }
    for (const status of DELIVERY_STATUSES) this.deliveries.set({ status }, state.byStatus[status]);
    this.failingWebhooks.set(state.failingWebhooks);
    this.maxFailures.set(state.maxConsecutiveFailures);
    if (this.perWebhook) {
      this.perWebhook.reset();
      for (const { webhookId, failures } of state.worst) this.perWebhook.set({ webhook_id: webhookId }, failures);
    }
    this.refreshedAt.set(Date.now() / 1000);
  }
}
