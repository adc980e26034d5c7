import type { ParseArgsConfig } from 'node:util';
import type { ApiClient } from './api-client';
import type { CliOutput } from './cli-command';

/** A command that works through the HTTP API of a running install (so it works against any deployment). */
export interface ApiCliCommand {
  name: string;
  summary: string;
  usage: string;
  needs: 'api';
  options: NonNullable<ParseArgsConfig['options']>;
  run(api: ApiClient, values: Record<string, string | boolean | undefined>, output: CliOutput): Promise<void>;
}
