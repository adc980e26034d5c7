import type { ParseArgsConfig } from 'node:util';
import type { SecretCipher } from '../secrets/secret-cipher';
import type { Stores, StoresWithoutSecrets } from '../store/create-stores';
import type { ApiClient } from './api-client';

/** Where a command writes: results to `out` (scriptable), notes and errors to `err`. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export type CliValues = Record<string, string | boolean | undefined>;

/** Where a Temporal cluster is, for commands that administer it. */
export interface TemporalTarget {
  address: string;
  namespace: string;
}

interface CommandBase {
  name: string;
  summary: string;
  /** The flags after the name, for `--help` and the usage line. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
}

/**
 * One `npm run cli -- <name>` command, by what it works on: the database itself (teams and tokens, which have no
 * API), the database with the secrets' keys, a running install's HTTP API (so it works against any deployment), or a Temporal cluster. Each checks its
 * parsed flags (throwing CliUsageError) and does the work.
 */
export type CliCommand =
  | (CommandBase & {
      needs: 'database';
      run(stores: StoresWithoutSecrets, values: CliValues, output: CliOutput): Promise<void>;
    })
  | (CommandBase & {
      /** The database and the keys of secrets at rest (SECRET_ENCRYPTION_KEY, or the embedded default's key file). */
      needs: 'secrets';
      run(secrets: { stores: Stores; cipher: SecretCipher }, values: CliValues, output: CliOutput): Promise<void>;
    })
  | (CommandBase & { needs: 'api'; run(api: ApiClient, values: CliValues, output: CliOutput): Promise<void> })
  | (CommandBase & {
      needs: 'temporal';
      run(temporal: TemporalTarget, values: CliValues, output: CliOutput): Promise<void>;
    });

/** Bad or missing flags: exit code 2 and the usage line, as command-line tools do. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** A required, non-empty string flag. */
export function requiredFlag(values: CliValues, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value.trim() === '') throw new CliUsageError(`--${flag} is required`);
  return value.trim();
}
