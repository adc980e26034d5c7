import dotenv from 'dotenv';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from '../config/load-config';
import { createLogger } from './create-logger';
import { installTemporalRuntime } from './install-temporal-runtime';
import { ShutdownStack } from './shutdown-stack';

/** What an entry point's start-up gets: the validated configuration, a logger, and where to register stops. */
export interface MainContext {
  config: Config;
  logger: Logger;
  stack: ShutdownStack;
}

/**
 * The one start-up path of every long-running entry point: `.env`, configuration (a bad variable ends the process
 * with a message naming it), the logger (Temporal's SDK logs through it too), Ctrl-C and SIGTERM, and the fatal
 * path (log, stop what had started, exit 1).
 */
export function runMain(role: string | undefined, start: (context: MainContext) => Promise<void>): void {
  dotenv.config({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel, role ? { role } : {});
  installTemporalRuntime(logger.child({ component: 'temporal-sdk' }));
  const stack = new ShutdownStack(logger);
  stack.stopOnSignals();
  start({ config, logger, stack }).catch(async (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    logger.fatal({ err: err instanceof Error ? err : new Error(String(err)) }, 'failed to start');
    await stack.stopAll();
    process.exit(1);
  });
}
