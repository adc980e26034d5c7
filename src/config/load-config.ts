import path from 'node:path';
import type { LaneSettings } from '../lanes/lane-settings';
import type { TargetPolicy } from '../targets/target-policy';
import type { DashboardSettings } from '../dashboard/dashboard-settings';
import { environmentSchema, type Environment } from './environment-schema';
import type { TrustProxy } from './trust-proxy';

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
