import type { Config } from '../config/load-config';
import { ConfigError } from '../config/load-config';

/** The scale-out entry points run beside shared servers: both must be named, there is nothing to embed. */
export function requireExternalServices(config: Config): { databaseUrl: string; temporalAddress: string } {
  const missing = [
    config.databaseUrl
      ? undefined
      : '  DATABASE_URL: required by this entry point (npm start embeds PostgreSQL instead)',
    config.temporal.address
      ? undefined
      : '  TEMPORAL_ADDRESS: required by this entry point (npm start embeds Temporal instead)',
  ].filter(Boolean);
  if (missing.length > 0) throw new ConfigError(`Invalid configuration:\n${missing.join('\n')}`);
  return { databaseUrl: config.databaseUrl!, temporalAddress: config.temporal.address! };
}
