import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Database } from '../db/create-database';
import { DeliveryMetrics } from './delivery-metrics';
import { registerDeliveryStateGauges } from './delivery-state-gauges';

export interface Metrics {
  registry: Registry;
  delivery: DeliveryMetrics;
}

/**
 * One registry per process. With `db`, it also reports delivery state from Postgres (API processes); a worker
 * alone reports what it did.
 */
export function createMetrics(options: { db?: Database; processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'tidehook_' });
  if (options.db) registerDeliveryStateGauges(registry, options.db);
  return { registry, delivery: new DeliveryMetrics(registry) };
}
