import { parseArgs } from 'node:util';
import { ConfigError, loadCliConfig, type CliConfig } from '../config/load-config';
import { createDatabase, migrateToLatest, type Database } from '../db/create-database';
import { loadSecretCipher } from '../secrets/load-secret-cipher';
import { createStores } from '../store/create-stores';
import { createApiClient } from './api-client';
import { bulkReplayCommand } from './bulk-replay-command';
import { CliUsageError, type CliCommand, type CliOutput, type CliValues } from './cli-command';
import { createTeamCommand } from './create-team-command';
import { createTokenCommand } from './create-token-command';
import { cancelCommand, replayCommand, retryCommand, showCommand } from './delivery-commands';
import { pruneCommand } from './prune-command';
import { reencryptSecretsCommand } from './reencrypt-secrets-command';
import { registerSearchAttributesCommand } from './register-search-attributes-command';
import { listTokensCommand, revokeTokenCommand } from './token-commands';

const COMMANDS: readonly CliCommand[] = [
  createTeamCommand,
  createTokenCommand,
  listTokensCommand,
  revokeTokenCommand,
  showCommand,
  cancelCommand,
  replayCommand,
  retryCommand,
  bulkReplayCommand,
  pruneCommand,
  reencryptSecretsCommand,
  registerSearchAttributesCommand,
];

function usage(): string {
  return [
    'Usage: npm run cli -- <command> [flags]',
    '',
    ...COMMANDS.map((command) => `  ${command.name} ${command.usage}\n      ${command.summary}`),
    '',
    'Team, token, prune and reencrypt-secrets need DATABASE_URL (postgres://...) and apply pending migrations first;',
    'reencrypt-secrets also the keys: SECRET_ENCRYPTION_KEY (the new one) and SECRET_ENCRYPTION_KEYS_OLD.',
    'Delivery commands talk to a running API: TIDEHOOK_API_URL (default http://127.0.0.1:3000) and TIDEHOOK_TOKEN',
    '(on the embedded default, the development token under DATA_DIR is used when TIDEHOOK_TOKEN is unset).',
  ].join('\n');
}

/** Runs one command and answers the exit code: 0 done, 1 failed, 2 bad usage. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, output: CliOutput): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    output.err(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    output.err(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  let values: CliValues;
  try {
    values = parseArgs({ args: [...args], options: command.options, strict: true, allowPositionals: false })
      .values as CliValues;
  } catch (err) {
    output.err(`${(err as Error).message}\n\nUsage: npm run cli -- ${command.name} ${command.usage}`);
    return 2;
  }
  try {
    await execute(command, loadCliConfig(env), values, output);
    return 0;
  } catch (err) {
    if (err instanceof CliUsageError) {
      output.err(`${err.message}\n\nUsage: npm run cli -- ${command.name} ${command.usage}`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof MissingSetting) {
      output.err(err.message);
      return 1;
    }
    output.err(`${command.name} failed: ${(err as Error).message}`);
    return 1;
  }
}

/** A variable the command needs and the environment does not set; said plainly, as the fix is obvious. */
class MissingSetting extends Error {}

async function execute(command: CliCommand, config: CliConfig, values: CliValues, output: CliOutput): Promise<void> {
  switch (command.needs) {
    case 'api':
      return command.run(createApiClient(config), values, output);
    case 'temporal': {
      const address = config.temporal.address;
      if (!address) throw new MissingSetting('TEMPORAL_ADDRESS is not set (host:port of your Temporal frontend)');
      return command.run({ address, namespace: config.temporal.namespace }, values, output);
    }
    case 'database':
      return withDatabase(config, (db) => command.run(createStores(db), values, output));
    case 'secrets': {
      // The keys first: a missing key is a configuration error before anything connects.
      const cipher = loadSecretCipher({
        configuredKey: config.secretEncryptionKey,
        previousKeys: config.secretEncryptionKeysOld,
        dataDir: config.dataDir,
        embedded: 'existing',
      });
      return withDatabase(config, (db) => command.run({ stores: createStores(db, cipher), cipher }, values, output));
    }
  }
}

/** The install's database, migrated first, for the length of one command. */
async function withDatabase(config: CliConfig, work: (db: Database) => Promise<void>): Promise<void> {
  if (!config.databaseUrl) {
    throw new MissingSetting(
      'DATABASE_URL is not set: point it at the PostgreSQL database of your install, e.g. DATABASE_URL=postgres://user:pass@host:5432/tidehook',
    );
  }
  const db = createDatabase(config.databaseUrl, { poolMax: 2 });
  try {
    await migrateToLatest(db);
    await work(db);
  } finally {
    await db.destroy();
  }
}
