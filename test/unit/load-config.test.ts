import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, loadCliConfig, loadConfig, type Config } from '../../src/config/load-config';
import { DEFAULT_DASHBOARD_SETTINGS } from '../../src/dashboard/dashboard-settings';
import { DEFAULT_LANE_SETTINGS } from '../../src/lanes/lane-settings';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OLD_KEY = Buffer.alloc(32, 8).toString('base64');

const DEFAULTS: Config = {
  http: { port: 3000, host: '127.0.0.1', publicBaseUrl: undefined },
  dataDir: path.resolve('./.data'),
  databaseUrl: undefined,
  databasePoolMax: 20,
  lanes: DEFAULT_LANE_SETTINGS,
  dns: { servers: undefined, timeoutMs: 2_000, tries: 2, negativeTtlMs: 30_000, concurrencyPerTeam: 4 },
  temporal: {
    address: undefined,
    namespace: 'default',
    taskQueue: 'webhook-deliveries',
    uiUrl: undefined,
    embeddedGrpcPort: 7233,
    embeddedUiPort: 8233,
    cliPath: undefined,
    embeddedSqliteSynchronous: 'FULL',
  },
  bootstrapToken: undefined,
  targets: { allowHttp: false, allowPrivate: false, allowedPorts: undefined },
  secretEncryptionKey: undefined,
  secretEncryptionKeysOld: [],
  rateLimitPerMinute: 1200,
  authFailuresPerMinute: 60,
  trustProxy: false,
  retentionDays: 0,
  triggers: { teamDeliveriesPerMinute: 30_000, teamDeliveryBurst: 2_000, maxDeliveriesPerRequest: 1_000 },
  metricsPort: 0,
  metricsToken: undefined,
  metricsWebhookLabels: false,
  logLevel: 'info',
  dashboard: {
    productName: DEFAULT_DASHBOARD_SETTINGS.productName,
    accentColor: DEFAULT_DASHBOARD_SETTINGS.accentColor,
    frameAncestors: [],
    cookieSecure: false,
  },
};

/** The ConfigError's message from `load`; fails the test when it loads, or fails in another way. */
function configError(load: () => unknown): string {
  try {
    load();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${String(err)}`);
    return err.message;
  }
  assert.fail('the configuration was accepted');
}

describe('loadConfig', () => {
  it('answers the embedded defaults for an empty environment', () => {
    assert.deepEqual(loadConfig({}), DEFAULTS);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/tidehook',
      DATABASE_URL: 'postgresql://tidehook@db:5432/tidehook',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'prod',
      TEMPORAL_TASK_QUEUE: 'hooks',
      TEMPORAL_UI_URL: 'https://temporal.example.com',
      TEMPORAL_GRPC_PORT: '17233',
      TEMPORAL_UI_PORT: '18233',
      TEMPORAL_CLI_PATH: '/usr/local/bin/temporal',
      TEMPORAL_SQLITE_SYNCHRONOUS: 'NORMAL',
      BOOTSTRAP_TOKEN: 'th_0123456789abcdef',
      ALLOW_HTTP_TARGETS: 'true',
      ALLOW_PRIVATE_TARGETS: 'yes',
      ALLOWED_TARGET_PORTS: '443, 8443,9000-9099',
      PUBLIC_BASE_URL: 'https://hooks.example.com',
      METRICS_PORT: '9464',
      METRICS_TOKEN: 'metrics-token-0123456789',
      METRICS_WEBHOOK_LABELS: 'true',
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_FAILURES_PER_MINUTE: '10',
      TRUST_PROXY: '10.0.0.0/8',
      RETENTION_DAYS: '90',
      TEAM_DELIVERIES_PER_MINUTE: '600',
      TEAM_DELIVERY_BURST: '50',
      MAX_DELIVERIES_PER_REQUEST: '10',
      SECRET_ENCRYPTION_KEY: KEY,
      SECRET_ENCRYPTION_KEYS_OLD: `${OLD_KEY}, ${KEY}`,
      DASHBOARD_PRODUCT_NAME: 'Acme Hooks',
      DASHBOARD_ACCENT_COLOR: '#123abc',
      DASHBOARD_FRAME_ANCESTORS: 'https://app.example.com',
      DASHBOARD_COOKIE_SECURE: '1',
      LOG_LEVEL: 'debug',
      DATABASE_POOL_MAX: '50',
      ATTEMPT_SLOTS_FAST: '10',
      ATTEMPT_SLOTS_STANDARD: '20',
      ATTEMPT_SLOTS_SLOW: '30',
      ATTEMPTS_PER_ORIGIN: '4',
      ATTEMPTS_PER_TEAM: '8',
      ATTEMPT_RETRY_SHARE: '0.25',
      SLOW_ORIGIN_AFTER_MS: '1500',
      SLOW_ORIGIN_FOR_S: '60',
      DNS_SERVERS: '10.0.0.2',
      DNS_TIMEOUT_MS: '500',
      DNS_TRIES: '3',
      DNS_NEGATIVE_TTL_S: '0',
      DNS_CONCURRENCY_PER_TEAM: '8',
    });
    assert.deepEqual(config, {
      http: { port: 8080, host: '0.0.0.0', publicBaseUrl: 'https://hooks.example.com' },
      dataDir: '/var/lib/tidehook',
      databaseUrl: 'postgresql://tidehook@db:5432/tidehook',
      databasePoolMax: 50,
      lanes: {
        fastSlots: 10,
        queuedSlots: { standard: 20, slow: 30 },
        perOrigin: 4,
        perTeam: 8,
        retryShare: 0.25,
        slowAfterMs: 1500,
        slowForMs: 60_000,
      },
      dns: { servers: ['10.0.0.2'], timeoutMs: 500, tries: 3, negativeTtlMs: 0, concurrencyPerTeam: 8 },
      temporal: {
        address: 'temporal:7233',
        namespace: 'prod',
        taskQueue: 'hooks',
        uiUrl: 'https://temporal.example.com',
        embeddedGrpcPort: 17233,
        embeddedUiPort: 18233,
        cliPath: '/usr/local/bin/temporal',
        embeddedSqliteSynchronous: 'NORMAL',
      },
      bootstrapToken: 'th_0123456789abcdef',
      targets: {
        allowHttp: true,
        allowPrivate: true,
        allowedPorts: [
          { from: 443, to: 443 },
          { from: 8443, to: 8443 },
          { from: 9000, to: 9099 },
        ],
      },
      secretEncryptionKey: KEY,
      secretEncryptionKeysOld: [OLD_KEY, KEY],
      rateLimitPerMinute: 0,
      authFailuresPerMinute: 10,
      trustProxy: ['10.0.0.0/8'],
      retentionDays: 90,
      triggers: { teamDeliveriesPerMinute: 600, teamDeliveryBurst: 50, maxDeliveriesPerRequest: 10 },
      metricsPort: 9464,
      metricsToken: 'metrics-token-0123456789',
      metricsWebhookLabels: true,
      logLevel: 'debug',
      dashboard: {
        productName: 'Acme Hooks',
        accentColor: '#123abc',
        frameAncestors: ['https://app.example.com'],
        cookieSecure: true,
      },
    } satisfies Config);
  });

  it('reads true, 1 and yes as true, and false, 0 and no as false', () => {
    for (const [text, value] of [
      ['true', true],
      ['1', true],
      ['yes', true],
      ['false', false],
      ['0', false],
      ['no', false],
    ] as const) {
      assert.equal(loadConfig({ ALLOW_HTTP_TARGETS: text }).targets.allowHttp, value, text);
    }
  });

  it('treats an empty variable as unset, as `FOO=` in a .env file means', () => {
    const empty = Object.fromEntries(
      ['PORT', 'HOST', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'BOOTSTRAP_TOKEN', 'ALLOW_HTTP_TARGETS', 'LOG_LEVEL'].map(
        (name) => [name, ''],
      ),
    );
    assert.deepEqual(loadConfig(empty), DEFAULTS);
    assert.deepEqual(loadConfig({ DATABASE_URL: '', SECRET_ENCRYPTION_KEY: '' }), DEFAULTS, 'no key needed then');
  });

  it('ignores variables that are not its own', () => {
    assert.deepEqual(loadConfig({ PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'production' }), DEFAULTS);
  });

  it('names every bad variable in the error, with what is wrong with it', () => {
    const flag = 'Invalid option: expected one of "0"|"1"|"true"|"false"|"yes"|"no"|""';
    const cases: Array<[name: string, value: string, problem: string]> = [
      ['PORT', 'http', 'Invalid input: expected number, received NaN'],
      ['PORT', '70000', 'Too big: expected number to be <=65535'],
      ['DATABASE_URL', 'mysql://db/tidehook', 'must be a postgres:// or postgresql:// URL'],
      ['TEMPORAL_ADDRESS', 'temporal', 'must be host:port'],
      ['TEMPORAL_UI_URL', 'temporal.example.com', 'Invalid URL'],
      ['TEMPORAL_GRPC_PORT', '-1', 'Too small: expected number to be >=0'],
      ['TEMPORAL_UI_PORT', '1.5', 'Invalid input: expected int, received number'],
      ['BOOTSTRAP_TOKEN', 'short', 'must be at least 16 characters'],
      ['ALLOW_HTTP_TARGETS', 'TRUE', flag],
      ['ALLOW_PRIVATE_TARGETS', 'maybe', flag],
      ['PUBLIC_BASE_URL', 'hooks.example.com', 'Invalid URL'],
      ['METRICS_PORT', 'nine', 'Invalid input: expected number, received NaN'],
      ['RATE_LIMIT_PER_MINUTE', '-5', 'Too small: expected number to be >=0'],
      ['AUTH_FAILURES_PER_MINUTE', '-1', 'Too small: expected number to be >=0'],
      ['RETENTION_DAYS', '1.5', 'Invalid input: expected int, received number'],
      ['METRICS_TOKEN', 'short', 'must be at least 16 characters (openssl rand -hex 32)'],
      [
        'SECRET_ENCRYPTION_KEYS_OLD',
        `${KEY},${Buffer.alloc(16).toString('base64')}`,
        'must be keys of 32 bytes in base64 (as SECRET_ENCRYPTION_KEY), separated by commas or spaces',
      ],
      [
        'SECRET_ENCRYPTION_KEY',
        Buffer.alloc(16).toString('base64'),
        'must be 32 bytes in base64 (openssl rand -base64 32)',
      ],
      ['LOG_LEVEL', 'loud', 'Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"'],
      ['ALLOWED_TARGET_PORTS', '443,x', '"x" is not a port (1-65535) or a range such as 9000-9099'],
      ['ALLOWED_TARGET_PORTS', ' , ', 'must list at least one port or range'],
      ['DASHBOARD_ACCENT_COLOR', 'red', 'must be a hex colour such as #0f766e'],
      ['DASHBOARD_COOKIE_SECURE', 'si', flag],
      ['DATABASE_POOL_MAX', '1', 'Too small: expected number to be >=2'],
      ['ATTEMPT_SLOTS_FAST', '0', 'Too small: expected number to be >=1'],
      ['ATTEMPT_SLOTS_STANDARD', '10001', 'Too big: expected number to be <=10000'],
      ['ATTEMPT_SLOTS_SLOW', '0', 'Too small: expected number to be >=1'],
      ['ATTEMPTS_PER_ORIGIN', '1.5', 'Invalid input: expected int, received number'],
      ['ATTEMPTS_PER_TEAM', '0', 'Too small: expected number to be >=1'],
      ['ATTEMPT_RETRY_SHARE', '2', 'Too big: expected number to be <=1'],
      ['SLOW_ORIGIN_AFTER_MS', '50', 'Too small: expected number to be >=100'],
      ['SLOW_ORIGIN_FOR_S', '0', 'Too small: expected number to be >=1'],
      ['TEAM_DELIVERIES_PER_MINUTE', '-1', 'Too small: expected number to be >=0'],
      ['TEAM_DELIVERY_BURST', '0', 'Too small: expected number to be >=1'],
      ['MAX_DELIVERIES_PER_REQUEST', '100001', 'Too big: expected number to be <=100000'],
    ];
    for (const [name, value, problem] of cases) {
      assert.equal(
        configError(() => loadConfig({ [name]: value })),
        `Invalid configuration:\n  ${name}: ${problem}`,
        `${name}=${value}`,
      );
    }
  });

  it('names all the bad variables at once, one line each', () => {
    const message = configError(() => loadConfig({ PORT: 'http', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://db' }));
    const names = message
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(':')[0]);
    assert.deepEqual(names.sort(), ['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
  });

  it('requires SECRET_ENCRYPTION_KEY with DATABASE_URL, and only then', () => {
    assert.equal(
      configError(() => loadConfig({ DATABASE_URL: 'postgres://db/tidehook' })),
      'Invalid configuration:\n  SECRET_ENCRYPTION_KEY: required with DATABASE_URL (32 random bytes, base64: `openssl rand -base64 32`)',
    );
    const external = loadConfig({ DATABASE_URL: 'postgres://db/tidehook', SECRET_ENCRYPTION_KEY: KEY });
    assert.equal(external.databaseUrl, 'postgres://db/tidehook');
    assert.equal(external.secretEncryptionKey, KEY);
    assert.equal(loadConfig({ SECRET_ENCRYPTION_KEY: KEY }).secretEncryptionKey, KEY, 'a key for the embedded default');
  });

  describe('DNS', () => {
    it('defaults to the system servers, 2 tries of 2 s, a 30 s negative cache and 4 lookups per team', () => {
      assert.deepEqual(loadConfig({}).dns, {
        servers: undefined,
        timeoutMs: 2_000,
        tries: 2,
        negativeTtlMs: 30_000,
        concurrencyPerTeam: 4,
      });
    });

    it('reads servers as comma-separated addresses with optional ports, and the numbers as given', () => {
      const config = loadConfig({
        DNS_SERVERS: '10.0.0.2, 127.0.0.1:5353,2001:db8::53,[2001:db8::54]:5353',
        DNS_TIMEOUT_MS: '500',
        DNS_TRIES: '3',
        DNS_NEGATIVE_TTL_S: '0',
        DNS_CONCURRENCY_PER_TEAM: '8',
      });

      assert.deepEqual(config.dns, {
        servers: ['10.0.0.2', '127.0.0.1:5353', '2001:db8::53', '[2001:db8::54]:5353'],
        timeoutMs: 500,
        tries: 3,
        negativeTtlMs: 0,
        concurrencyPerTeam: 8,
      });
    });

    it('fails naming the variable for a server that is not an address, and for numbers out of range', () => {
      for (const [variable, value] of [
        ['DNS_SERVERS', 'dns.example.com'],
        ['DNS_SERVERS', '127.0.0.1:99999'],
        ['DNS_SERVERS', ' , '],
        ['DNS_TIMEOUT_MS', '0'],
        ['DNS_TRIES', 'two'],
        ['DNS_CONCURRENCY_PER_TEAM', '0'],
      ] as const) {
        assert.throws(
          () => loadConfig({ [variable]: value }),
          (error: Error) => error instanceof ConfigError && error.message.includes(`  ${variable}: `),
          `${variable}=${value}`,
        );
      }
    });
  });

  describe('failed authentications and proxies', () => {
    it('limits 60 failed authentications per source and minute, and believes no proxy, by default', () => {
      const config = loadConfig({});
      assert.equal(config.authFailuresPerMinute, 60);
      assert.equal(config.trustProxy, false);
    });

    it('reads TRUST_PROXY as a hop count or a list of addresses, subnets and names', () => {
      assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
      assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
      assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8 2001:db8::1' }).trustProxy, [
        'loopback',
        '10.0.0.0/8',
        '2001:db8::1',
      ]);
    });

    it('keeps history for ever unless RETENTION_DAYS says otherwise', () => {
      assert.equal(loadConfig({}).retentionDays, 0);
      assert.equal(loadConfig({ RETENTION_DAYS: '90' }).retentionDays, 90);
      assert.throws(() => loadConfig({ RETENTION_DAYS: '-1' }), /RETENTION_DAYS/);
    });

    it('refuses TRUST_PROXY=true and entries that are not addresses, naming the variable', () => {
      for (const value of ['true', 'proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/2']) {
        assert.throws(
          () => loadConfig({ TRUST_PROXY: value }),
          (error: Error) => error instanceof ConfigError && error.message.includes('  TRUST_PROXY: '),
          value,
        );
      }
    });
  });
});

describe('loadCliConfig', () => {
  it('needs no key with DATABASE_URL: the team and token commands never touch a webhook secret', () => {
    const config = loadCliConfig({ DATABASE_URL: 'postgres://db/tidehook' });
    assert.equal(config.databaseUrl, 'postgres://db/tidehook');
    assert.equal(config.secretEncryptionKey, undefined);
  });

  it('reads the API to use from TIDEHOOK_API_URL and TIDEHOOK_TOKEN', () => {
    const config = loadCliConfig({ TIDEHOOK_API_URL: 'https://hooks.example.com', TIDEHOOK_TOKEN: 'th_ops' });
    assert.deepEqual(config.api, { url: 'https://hooks.example.com', token: 'th_ops' });
  });

  it('defaults to the API on this machine at PORT, with the development token', () => {
    assert.deepEqual(loadCliConfig({}).api, { url: 'http://127.0.0.1:3000', token: undefined });
    assert.deepEqual(loadCliConfig({ PORT: '4100', TIDEHOOK_TOKEN: '' }).api, {
      url: 'http://127.0.0.1:4100',
      token: undefined,
    });
  });

  it('answers the rest of the configuration as loadConfig does', () => {
    const { api: _api, ...rest } = loadCliConfig({ TEMPORAL_NAMESPACE: 'ops' });
    assert.deepEqual(rest, { ...DEFAULTS, temporal: { ...DEFAULTS.temporal, namespace: 'ops' } });
  });

  it('validates like loadConfig, naming the variable', () => {
    assert.equal(
      configError(() => loadCliConfig({ TIDEHOOK_API_URL: 'hooks' })),
      'Invalid configuration:\n  TIDEHOOK_API_URL: Invalid URL',
    );
    assert.equal(
      configError(() => loadCliConfig({ PORT: 'x' })),
      'Invalid configuration:\n  PORT: Invalid input: expected number, received NaN',
    );
  });
});
