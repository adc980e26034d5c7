import type { Config } from '../config/load-config';
import { requireVariables } from '../config/required-variables';

/** The scale-out entry points run beside shared servers: both must be named, there is nothing to embed. */
export function requireExternalServices(
  config: Config,
  role: 'api' | 'worker',
): { databaseUrl: string; temporalAddress: string } {
  requireVariables(config, role);
  return { databaseUrl: config.databaseUrl!, temporalAddress: config.temporal.address! };
}
