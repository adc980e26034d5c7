import { z } from 'zod';
import { DEFAULT_LANE_SETTINGS } from '../lanes/lane-settings';
import { parsePortRanges } from '../targets/port-range';
import { dnsServerList } from './dns-server-list';
import { trustProxySetting } from './trust-proxy';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

/** Origins as CSP `frame-ancestors` takes them (`https://host[:port]`, no path), or `'self'`; space or comma separated. */
const frameAncestorList = z
  .string()
  .default('')
  .transform((text) => text.split(/[\s,]+/).filter(Boolean))
  .refine((origins) => origins.every((origin) => origin === "'self'" || isOrigin(origin)), {
    message: "must be origins such as https://app.example.com (no path), separated by spaces, or 'self'",
  });

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}

/** A key for secrets at rest: 32 bytes, base64 or base64url. */
function isKey(text: string): boolean {
  return Buffer.from(text.trim(), 'base64').length === 32;
}

/** Every environment variable Tidehook reads, with its check and default; `loadConfig` turns it into a `Config`. */
export const environmentSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('webhook-deliveries'),
  TEMPORAL_UI_URL: z.string().url().optional(),
  TEMPORAL_GRPC_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  BOOTSTRAP_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ALLOW_HTTP_TARGETS: booleanFlag,
  ALLOW_PRIVATE_TARGETS: booleanFlag,
  ALLOWED_TARGET_PORTS: z
    .string()
    .transform((text, ctx) => {
      try {
        return parsePortRanges(text);
      } catch (err) {
        ctx.issues.push({ code: 'custom', message: (err as Error).message, input: text });
        return z.NEVER;
      }
    })
    .optional(),
  PUBLIC_BASE_URL: z.string().url().optional(),
  METRICS_PORT: port.default(0),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (openssl rand -hex 32)').optional(),
  METRICS_WEBHOOK_LABELS: booleanFlag,
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  TRUST_PROXY: trustProxySetting.optional(),
  TEAM_DELIVERIES_PER_MINUTE: z.coerce.number().int().min(0).default(30_000),
  TEAM_DELIVERY_BURST: z.coerce.number().int().min(1).default(2_000),
  MAX_DELIVERIES_PER_REQUEST: z.coerce.number().int().min(1).max(100_000).default(1_000),
  DNS_SERVERS: dnsServerList.optional(),
  DNS_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(2_000),
  DNS_TRIES: z.coerce.number().int().min(1).max(10).default(2),
  DNS_NEGATIVE_TTL_S: z.coerce.number().int().min(0).max(3_600).default(30),
  DNS_CONCURRENCY_PER_TEAM: z.coerce.number().int().min(1).max(1_000).default(4),
  SECRET_ENCRYPTION_KEY: z.string().refine(isKey, 'must be 32 bytes in base64 (openssl rand -base64 32)').optional(),
  SECRET_ENCRYPTION_KEYS_OLD: z
    .string()
    .transform((text) => text.split(/[\s,]+/).filter(Boolean))
    .refine(
      (keys) => keys.every(isKey),
      'must be keys of 32 bytes in base64 (as SECRET_ENCRYPTION_KEY), separated by commas or spaces',
    )
    .optional(),
  DASHBOARD_PRODUCT_NAME: z.string().trim().min(1).max(60).default('Tidehook'),
  DASHBOARD_ACCENT_COLOR: z
    .string()
    .regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'must be a hex colour such as #0f766e')
    .default('#0f766e'),
  DASHBOARD_FRAME_ANCESTORS: frameAncestorList,
  DASHBOARD_COOKIE_SECURE: booleanFlag,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(20),
  ATTEMPT_SLOTS_FAST: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_LANE_SETTINGS.fastSlots),
  ATTEMPT_SLOTS_STANDARD: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(DEFAULT_LANE_SETTINGS.queuedSlots.standard),
  ATTEMPT_SLOTS_SLOW: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_LANE_SETTINGS.queuedSlots.slow),
  ATTEMPTS_PER_ORIGIN: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_LANE_SETTINGS.perOrigin),
  ATTEMPTS_PER_TEAM: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_LANE_SETTINGS.perTeam),
  ATTEMPT_RETRY_SHARE: z.coerce.number().min(0).max(1).default(DEFAULT_LANE_SETTINGS.retryShare),
  SLOW_ORIGIN_AFTER_MS: z.coerce.number().int().min(100).max(60_000).default(DEFAULT_LANE_SETTINGS.slowAfterMs),
  SLOW_ORIGIN_FOR_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(DEFAULT_LANE_SETTINGS.slowForMs / 1000),
  TIDEHOOK_API_URL: z.string().url().optional(),
  TIDEHOOK_TOKEN: z.string().min(1).optional(),
});

export type Environment = z.output<typeof environmentSchema>;
