import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_LANE_SETTINGS, type LaneSettings } from '../lanes/lane-settings';
import { parsePortRanges } from '../targets/port-range';
import type { TargetPolicy } from '../targets/target-policy';
import type { DashboardSettings } from '../dashboard/dashboard-settings';
import { dnsServerList } from './dns-server-list';
import { trustProxySetting, type TrustProxy } from './trust-proxy';

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

const environmentSchema = z.object({
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

type Environment = z.output<typeof environmentSchema>;

/** Everything the processes need, read once from the environment at the entry point. */
export interface Config {
  http: { port: number; host: string; publicBaseUrl: string | undefined };
  dataDir: string;
  /** @default undefined: the embedded PostgreSQL under `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Connections per process; every attempt holds one only for its two short statements. @default 20 */
  databasePoolMax: number;
  /** Each worker's attempt capacity, lane by lane, and the shares within it (ADR 6). */
  lanes: LaneSettings;
  temporal: {
    /** @default undefined: the embedded dev server is started. */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    uiUrl: string | undefined;
    embeddedGrpcPort: number;
    embeddedUiPort: number;
    cliPath: string | undefined;
    /** The embedded dev server's SQLite `synchronous` (ADR 9). @default 'FULL' */
    embeddedSqliteSynchronous: 'FULL' | 'NORMAL';
  };
  bootstrapToken: string | undefined;
  targets: TargetPolicy;
  /** How webhook hosts are resolved (/etc/hosts, then DNS over c-ares; see createHostResolver). */
  dns: {
    /** @default undefined: the system's servers, from /etc/resolv.conf */
    servers: string[] | undefined;
    /** One try's wait for an answer. @default 2_000 */
    timeoutMs: number;
    /** A name with no answer fails with ETIMEOUT after `timeoutMs × tries`. @default 2 */
    tries: number;
    /** How long a failed lookup is answered from memory. @default 30_000 */
    negativeTtlMs: number;
    /** DNS lookups one team may have in flight per process. @default 4 */
    concurrencyPerTeam: number;
  };
  /**
   * Key for webhook secrets at rest. @default undefined: the embedded default keeps one under `dataDir`; with
   * DATABASE_URL it is required.
   */
  secretEncryptionKey: string | undefined;
  /**
   * Keys that only decrypt: the ones a key rotation retires, until `reencrypt-secrets` moved every value to the
   * current key (ADR 12). @default []
   */
  secretEncryptionKeysOld: string[];
  /** Management API requests per token per minute, per API process (0: no limit). @default 1200 */
  rateLimitPerMinute: number;
  /** Failed authentications per source address per minute, per API process, before 429 (0: no limit). @default 60 */
  authFailuresPerMinute: number;
  /** Which proxies' X-Forwarded-* headers to believe (`TRUST_PROXY`). @default false: none */
  trustProxy: TrustProxy;
  /**
   * Events, deliveries and attempts are deleted this many days after the delivery ended, by a background job of the
   * API processes (ADR 13). @default 0: kept for ever
   */
  retentionDays: number;
  /** What internal services may trigger (ADR 6). */
  triggers: {
    /** Deliveries a team may trigger per minute, per API process (0: no limit). @default 30_000 */
    teamDeliveriesPerMinute: number;
    /** Deliveries a team may trigger at once before the per-minute rate applies. @default 2_000 */
    teamDeliveryBurst: number;
    /** Deliveries one request (an event, or a batch) may create. @default 1_000 */
    maxDeliveriesPerRequest: number;
  };
  /**
   * Where any process serves `/metrics` and `/healthz` on a listener of its own (0: nowhere, so several processes
   * fit on one host). The API's own port serves `/metrics` only with `metricsToken`. @default 0
   */
  metricsPort: number;
  /** Bearer token a scrape must carry; with it the API's port serves `/metrics` too. @default undefined */
  metricsToken: string | undefined;
  /** Per-webhook labels on the delivery-state gauges: other teams' webhook ids, for operators. @default false */
  metricsWebhookLabels: boolean;
  logLevel: Environment['LOG_LEVEL'];
  dashboard: DashboardSettings;
}

/** What the operator's CLI reads besides the rest: where a running API is, and the token to use there. */
export interface CliConfig extends Config {
  api: {
    /** @default http://127.0.0.1:PORT */
    url: string;
    /** @default undefined: on the embedded default, the development token under DATA_DIR is used. */
    token: string | undefined;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the environment for the processes that deliver (all-in-one, API, worker) and fails with one line per
 * bad variable, naming it. An external database needs the key its webhook secrets are encrypted with.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const config = toConfig(parseEnvironment(env));
  if (config.databaseUrl && !config.secretEncryptionKey) {
    throw new ConfigError(
      'Invalid configuration:\n  SECRET_ENCRYPTION_KEY: required with DATABASE_URL (32 random bytes, base64: `openssl rand -base64 32`)',
    );
  }
  return config;
}

/** The same variables for the operator's CLI, whose team and token commands need no key. */
export function loadCliConfig(env: NodeJS.ProcessEnv): CliConfig {
  const e = parseEnvironment(env);
  const config = toConfig(e);
  return {
    ...config,
    api: { url: e.TIDEHOOK_API_URL ?? `http://127.0.0.1:${config.http.port}`, token: e.TIDEHOOK_TOKEN },
  };
}

function parseEnvironment(env: NodeJS.ProcessEnv): Environment {
  const parsed = environmentSchema.safeParse(withoutEmptyStrings(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

function toConfig(e: Environment): Config {
  return {
    http: { port: e.PORT, host: e.HOST, publicBaseUrl: e.PUBLIC_BASE_URL },
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    lanes: {
      fastSlots: e.ATTEMPT_SLOTS_FAST,
      queuedSlots: { standard: e.ATTEMPT_SLOTS_STANDARD, slow: e.ATTEMPT_SLOTS_SLOW },
      perOrigin: e.ATTEMPTS_PER_ORIGIN,
      perTeam: e.ATTEMPTS_PER_TEAM,
      retryShare: e.ATTEMPT_RETRY_SHARE,
      slowAfterMs: e.SLOW_ORIGIN_AFTER_MS,
      slowForMs: e.SLOW_ORIGIN_FOR_S * 1000,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiUrl: e.TEMPORAL_UI_URL,
      embeddedGrpcPort: e.TEMPORAL_GRPC_PORT,
      embeddedUiPort: e.TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
      embeddedSqliteSynchronous: e.TEMPORAL_SQLITE_SYNCHRONOUS,
    },
    bootstrapToken: e.BOOTSTRAP_TOKEN,
    targets: {
      allowHttp: e.ALLOW_HTTP_TARGETS,
      allowPrivate: e.ALLOW_PRIVATE_TARGETS,
      allowedPorts: e.ALLOWED_TARGET_PORTS,
    },
    dns: {
      servers: e.DNS_SERVERS,
      timeoutMs: e.DNS_TIMEOUT_MS,
      tries: e.DNS_TRIES,
      negativeTtlMs: e.DNS_NEGATIVE_TTL_S * 1_000,
      concurrencyPerTeam: e.DNS_CONCURRENCY_PER_TEAM,
    },
    secretEncryptionKey: e.SECRET_ENCRYPTION_KEY,
    secretEncryptionKeysOld: e.SECRET_ENCRYPTION_KEYS_OLD ?? [],
    metricsPort: e.METRICS_PORT,
    metricsToken: e.METRICS_TOKEN,
    metricsWebhookLabels: e.METRICS_WEBHOOK_LABELS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    trustProxy: e.TRUST_PROXY ?? false,
    retentionDays: e.RETENTION_DAYS,
    triggers: {
      teamDeliveriesPerMinute: e.TEAM_DELIVERIES_PER_MINUTE,
      teamDeliveryBurst: e.TEAM_DELIVERY_BURST,
      maxDeliveriesPerRequest: e.MAX_DELIVERIES_PER_REQUEST,
    },
    logLevel: e.LOG_LEVEL,
    dashboard: {
      productName: e.DASHBOARD_PRODUCT_NAME,
      accentColor: e.DASHBOARD_ACCENT_COLOR,
      frameAncestors: e.DASHBOARD_FRAME_ANCESTORS,
      cookieSecure: e.DASHBOARD_COOKIE_SECURE,
    },
  };
}

/** `FOO=` in a .env file means "unset", not "the empty string". */
function withoutEmptyStrings(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') result[key] = value;
  }
  return result;
}
