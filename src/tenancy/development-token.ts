import fs from 'node:fs';
import path from 'node:path';
import { generateApiToken } from './api-token';

export const DEVELOPMENT_TOKEN_FILE = 'development-token';

/**
 * On the embedded default without BOOTSTRAP_TOKEN, a fresh install would have no way in: make a token once, keep
 * it beside the data (mode 600) and reuse it. Never used with an external database.
 */
export function ensureDevelopmentToken(dataDir: string): string {
  const file = path.join(dataDir, DEVELOPMENT_TOKEN_FILE);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const token = generateApiToken();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
