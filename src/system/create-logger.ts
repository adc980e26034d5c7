import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs on stdout. Every line about a delivery carries `deliveryId` and `workflowId` (see
 * temporal-log-adapter.ts for the worker side).
 */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: 'tidehook', ...base }, timestamp: pino.stdTimeFunctions.isoTime });
}
