import type { ParseArgsConfig } from 'node:util';
import type { Database } from '../db/create-database';

/** Where a command writes: results to `out` (scriptable), notes and errors to `err`. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** One `npm run cli -- <name>` command. */
export interface CliCommand {
  name: string;
  summary: string;
  /** The flags after the name, for `--help` and the usage line. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Checks the parsed flags and does the work; throws CliUsageError for bad flags. */
  run(db: Database, values: Record<string, string | boolean | undefined>, output: CliOutput): Promise<void>;
}

/** Bad or missing flags: exit code 2 and the usage line, as command-line tools do. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** A required, non-empty string flag. */
export function requiredFlag(values: Record<string, string | boolean | undefined>, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value.trim() === '') throw new CliUsageError(`--${flag} is required`);
  return value.trim();
}
