import fs from 'node:fs';
import path from 'node:path';
import type { CliConfig } from '../config/load-config';
import { DEVELOPMENT_TOKEN_FILE } from '../tenancy/development-token';

/** A failed API call, with the API's own message (and field errors, when it gave them). */
export class CliApiError extends Error {
  override name = 'CliApiError';
}

export interface ApiClient {
  baseUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are read field by field by each command
  request<T = any>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * The CLI's way into a running install: `TIDEHOOK_API_URL` (default http://127.0.0.1:PORT) and `TIDEHOOK_TOKEN`
 * (on the embedded default, the development token under DATA_DIR is used when no token is set).
 */
export function createApiClient(config: Pick<CliConfig, 'api' | 'dataDir'>): ApiClient {
  const baseUrl = config.api.url.replace(/\/$/, '');
  const token = config.api.token ?? readDevelopmentToken(config.dataDir);
  if (!token)
    throw new CliApiError('TIDEHOOK_TOKEN is not set: export a token with the manage scope (see README, "Tokens").');
  return {
    baseUrl,
    async request(method, urlPath, body) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/v1${urlPath}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        throw new CliApiError(`cannot reach the API at ${baseUrl} (${(err as Error).message}); set TIDEHOOK_API_URL`);
      }
      const text = await response.text();
      const parsed = text ? (JSON.parse(text) as { message?: string; errors?: Record<string, string[]> }) : {};
      if (!response.ok) {
        const fields = parsed.errors ? ` ${JSON.stringify(parsed.errors)}` : '';
        throw new CliApiError(`${response.status}: ${parsed.message ?? response.statusText}${fields}`);
      }
      return parsed as never;
    },
  };
}

function readDevelopmentToken(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dataDir, DEVELOPMENT_TOKEN_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
