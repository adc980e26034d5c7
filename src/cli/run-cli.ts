import { parseArgs } from 'node:util';
import { createDatabase, migrateToLatest } from '../db/create-database';
import { CliUsageError, type CliCommand, type CliOutput } from './cli-command';
import { createTeamCommand } from './create-team-command';
import { createTokenCommand } from './create-token-command';
import { createApiClientFromEnv } from './api-client';
import type { ApiCliCommand } from './api-cli-command';
import { bulkReplayCommand } from './bulk-replay-command';
import { cancelCommand, replayCommand, showCommand } from './delivery-commands';
import { registerSearchAttributes } from './register-search-attributes-command';

const REGISTER_SEARCH_ATTRIBUTES = {
  name: 'register-search-attributes',
  summary: 'Register the delivery search attributes on an external Temporal cluster (TEMPORAL_ADDRESS).',
  usage: '',
  needs: 'temporal' as const,
  options: {},
};

const COMMANDS: ReadonlyArray<CliCommand | ApiCliCommand | typeof REGISTER_SEARCH_ATTRIBUTES> = [
  createTeamCommand,
  createTokenCommand,
  showCommand,
  cancelCommand,
  replayCommand,
  bulkReplayCommand,
  REGISTER_SEARCH_ATTRIBUTES,
];

function usage(): string {
  return [
    'Usage: npm run cli -- <command> [flags]',
    '',
    ...COMMANDS.map((command) => `  ${command.name} ${command.usage}\n      ${command.summary}`),
    '',
    'Team and token commands need DATABASE_URL (postgres://...) and apply pending migrations first.',
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
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...args], options: command.options, strict: true, allowPositionals: false })
      .values as typeof values;
  } catch (err) {
    output.err(`${(err as Error).message}\n\nUsage: npm run cli -- ${command.name} ${command.usage}`);
    return 2;
  }

  if ('needs' in command) {
    try {
      if (command.needs === 'api') await command.run(createApiClientFromEnv(env), values, output);
      else await registerSearchAttributes(env, output);
      return 0;
    } catch (err) {
      if (err instanceof CliUsageError) {
        output.err(`${err.message}\n\nUsage: npm run cli -- ${command.name} ${command.usage}`);
        return 2;
      }
      output.err(`${command.name} failed: ${(err as Error).message}`);
      return 1;
    }
  }

  const databaseUrl = env.DATABASE_URL?.trim();
  if (!databaseUrl) {
    output.err(
      'DATABASE_URL is not set: point it at the PostgreSQL database of your install, e.g. DATABASE_URL=postgres://user:pass@host:5432/tidehook',
    );
    return 1;
  }
  const db = createDatabase(databaseUrl, { poolMax: 2 });
  try {
    await migrateToLatest(db);
    await command.run(db, values, output);
    return 0;
  } catch (err) {
    if (err instanceof CliUsageError) {
      output.err(`${err.message}\n\nUsage: npm run cli -- ${command.name} ${command.usage}`);
      return 2;
    }
    output.err(`${command.name} failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
  }
}
