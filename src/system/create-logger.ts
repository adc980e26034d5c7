import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs on stdout. Every line about a delivery carries `deliveryId` and `workflowId` (see
 * install-temporal-runtime.ts for the worker side).
 */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'tidehook', ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Belt and braces: no code path logs these, and none ever may.
    redact: {
      paths: [
        'secret',
        '*.secret',
        'secrets',
        '*.secrets',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        '*.headers.authorization',
        '*["X-Lettermint-Signature"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
