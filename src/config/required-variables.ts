import { ConfigError, loadCliConfig, loadConfig, type Config } from './load-config';

/** The entry points that run one role on its own, beside shared servers; `npm start` embeds or creates all of it. */
export type EntryPointRole = 'api' | 'worker' | 'migrate';

interface VariableRule {
  read: (config: Config) => string | undefined;
  /** Why it is needed, or how to make one: the end of the line that names it. */
  hint: string;
}

const RULES = {
  DATABASE_URL: { read: (c) => c.databaseUrl, hint: 'npm start embeds PostgreSQL instead' },
  TEMPORAL_ADDRESS: { read: (c) => c.temporal.address, hint: 'npm start embeds Temporal instead' },
  SECRET_ENCRYPTION_KEY: {
    read: (c) => c.secretEncryptionKey,
    hint: 'encrypts webhook secrets at rest; 32 random bytes in base64: openssl rand -base64 32',
  },
} satisfies Record<string, VariableRule>;

export type RequiredVariable = keyof typeof RULES;

/**
 * What each entry point refuses to start without. The entry points check exactly this list, and the compose test
 * checks every service's environment against it, so the two cannot drift apart.
 */
export const REQUIRED_VARIABLES: Readonly<Record<EntryPointRole, readonly RequiredVariable[]>> = {
  api: ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SECRET_ENCRYPTION_KEY'],
  worker: ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SECRET_ENCRYPTION_KEY'],
  migrate: ['DATABASE_URL'],
};

/** Throws a {@link ConfigError} with one line per required variable of `role` that is not set, naming it. */
export function requireVariables(config: Config, role: EntryPointRole): void {
  const missing = REQUIRED_VARIABLES[role].filter((name) => RULES[name].read(config) === undefined);
  if (missing.length === 0) return;
  const lines = missing.map((name) => `  ${name}: required by this entry point (${RULES[name].hint})`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/**
 * The configuration an entry point runs with: validated, and with every variable its role requires. A migration
 * touches no webhook secret, so, like the CLI's team commands, it is loaded without the key that `loadConfig`
 * demands beside DATABASE_URL; the API and the worker need it.
 */
export function loadEntryPointConfig(role: EntryPointRole, env: NodeJS.ProcessEnv): Config {
  const config = role === 'migrate' ? loadCliConfig(env) : loadConfig(env);
  requireVariables(config, role);
  return config;
}
