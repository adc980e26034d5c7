import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Stores } from '../store/create-stores';
import { DeliveryMetrics } from './delivery-metrics';
import { registerDeliveryStateGauges } from './delivery-state-gauges';
import { DnsMetrics } from './dns-metrics';

export interface Metrics {
  registry: Registry;
  delivery: DeliveryMetrics;
  dns: DnsMetrics;
}

/**
 * One registry per process. With `stores`, it also reports delivery state from Postgres (API processes); a worker
 * alone reports what it did.
 */
export function createMetrics(
  options: { stores?: Pick<Stores, 'deliveries' | 'attempts'>; processMetrics?: boolean } = {},
): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'tidehook_' });
  if (options.stores) registerDeliveryStateGauges(registry, options.stores);
  return { registry, delivery: new DeliveryMetrics(registry), dns: new DnsMetrics(registry) };
}
