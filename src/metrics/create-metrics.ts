import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Stores } from '../store/create-stores';
import { DeliveryMetrics } from './delivery-metrics';
import { DeliveryStateGauges } from './delivery-state-gauges';
import { DnsMetrics } from './dns-metrics';
import { RetentionMetrics } from './retention-metrics';

export interface Metrics {
  registry: Registry;
  delivery: DeliveryMetrics;
  dns: DnsMetrics;
  retention: RetentionMetrics;
  /** With `stores`: the delivery-state gauges, which the API role refreshes in the background. */
  deliveryState: DeliveryStateGauges | undefined;
}

/**
 * One registry per process. With `stores`, it also reports delivery state from Postgres (API processes); a worker
 * alone reports what it did.
 */
export function createMetrics(
  options: {
    stores?: Pick<Stores, 'deliveryState'>;
    processMetrics?: boolean;
    /** Per-webhook labels on the delivery-state gauges (`METRICS_WEBHOOK_LABELS`). @default false */
    webhookLabels?: boolean;
  } = {},
): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'tidehook_' });
  return {
    registry,
    delivery: new DeliveryMetrics(registry),
    dns: new DnsMetrics(registry),
    retention: new RetentionMetrics(registry),
    deliveryState:
      options.stores &&
      new DeliveryStateGauges(registry, options.stores.deliveryState, { webhookLabels: options.webhookLabels }),
  };
}
