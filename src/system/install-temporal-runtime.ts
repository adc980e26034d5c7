import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Warnings the SDK gives for what we do on purpose: the queued lanes' workers run activities only. */
const EXPECTED = new Set(['No workflows registered, not polling for workflow tasks']);

/**
 * Routes the Temporal SDK's logs (worker, workflow `log`, activity context) into our pino logger, so worker lines
 * are JSON too and carry the SDK's metadata (workflowId, runId, activityType...). Must run before any worker or
 * native connection exists; a second call is a no-op.
 */
export function installTemporalRuntime(logger: Logger): void {
  const adapter: TemporalLogger = {
    log: (level: LogLevel, message: string, meta?: LogMetadata) =>
      logger[EXPECTED.has(message) ? 'debug' : PINO_LEVEL[level]]({ ...meta }, message),
    trace: (message, meta) => logger.trace({ ...meta }, message),
    debug: (message, meta) => logger.debug({ ...meta }, message),
    info: (message, meta) => logger.info({ ...meta }, message),
    warn: (message, meta) => logger[EXPECTED.has(message) ? 'debug' : 'warn']({ ...meta }, message),
    error: (message, meta) => logger.error({ ...meta }, message),
  };
  try {
    Runtime.install({ logger: adapter });
  } catch {
    // Already installed in this process (tests build several systems): keep the first.
  }
}
