import { Gauge, type Registry } from 'prom-client';
import { DELIVERY_STATUSES } from '../../workflows/delivery-status';
import type { Stores } from '../store/create-stores';

/** How many webhooks the consecutive-failures gauge reports: the worst ones, to bound label cardinality. */
const WORST_WEBHOOKS = 50;

/**
 * Gauges read from Postgres when scraped, so every API process reports the same truth whichever worker did the
 * work: deliveries by status, and the webhooks failing most in a row.
 */
export function registerDeliveryStateGauges(registry: Registry, stores: Pick<Stores, 'deliveries' | 'attempts'>): void {
  new Gauge({
    name: 'tidehook_deliveries',
    help: 'Deliveries by status (pending ones are waiting for an attempt or in one).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await stores.deliveries.countByStatus();
      this.reset();
      for (const status of DELIVERY_STATUSES) this.set({ status }, counts[status]);
    },
  });

  new Gauge({
    name: 'tidehook_webhook_consecutive_failures',
    help: `Attempts that failed since the last success, for the ${WORST_WEBHOOKS} webhooks with the most.`,
    labelNames: ['webhook_id'],
    registers: [registry],
    async collect() {
      const worst = await stores.attempts.consecutiveFailuresByWebhook(WORST_WEBHOOKS);
      this.reset();
      for (const { webhookId, failures } of worst) this.set({ webhook_id: webhookId }, failures);
    },
  });
}
