import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import { ORIGIN_BUSY } from '../../activities/attempt-not-sent';

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
 * True for a warning about our own design at work: the queued lanes' workers run activities only, and a queued
 * attempt whose origin had no room fails as `OriginBusy` to go back to its queue (nothing sent; one line per
 * deferral would bury real warnings under a flood to one dead endpoint).
 */
function isExpected(message: string, meta?: LogMetadata): boolean {
  if (EXPECTED.has(message)) return true;
  const error = (meta as { error?: { type?: unknown } } | undefined)?.error;
  return message === 'Activity failed' && error?.type === ORIGIN_BUSY;
}

/**
 * Routes the Temporal SDK's logs (worker, workflow `log`, activity context) into our pino logger, so worker lines
 * are JSON too and carry the SDK's metadata (workflowId, runId, activityType...). Must run before any worker or
 * native connection exists; a second call is a no-op.
 */
export function installTemporalRuntime(logger: Logger): void {
  const adapter: TemporalLogger = {
    log: (level: LogLevel, message: string, meta?: LogMetadata) =>
      logger[isExpected(message, meta) ? 'debug' : PINO_LEVEL[level]]({ ...meta }, message),
    trace: (message, meta) => logger.trace({ ...meta }, message),
    debug: (message, meta) => logger.debug({ ...meta }, message),
    info: (message, meta) => logger.info({ ...meta }, message),
    warn: (message, meta) => logger[isExpected(message, meta) ? 'debug' : 'warn']({ ...meta }, message),
    error: (message, meta) => logger.error({ ...meta }, message),
  };
  try {
    Runtime.install({ logger: adapter });
  } catch {
    // Already installed in this process (tests build several systems): keep the first.
  }
}
