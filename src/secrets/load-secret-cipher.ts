import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/load-config';
import { SecretCipher } from './secret-cipher';

export const SECRET_KEY_FILE = 'secret-encryption-key';

/**
 * The key for secrets at rest: `SECRET_ENCRYPTION_KEY` when set; on the embedded default, a key created under
 * DATA_DIR on first start (mode 600) and reused, so the data folder is self-contained.
 */
export function loadSecretCipher(options: {
  configuredKey: string | undefined;
  dataDir: string;
  embedded: boolean;
}): SecretCipher {
  if (options.configuredKey) return SecretCipher.fromBase64(options.configuredKey);
  if (!options.embedded) {
    throw new ConfigError(
      'Invalid configuration:\n  SECRET_ENCRYPTION_KEY: required with DATABASE_URL (32 random bytes, base64: `openssl rand -base64 32`)',
    );
  }
  const file = path.join(options.dataDir, SECRET_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(file, `${SecretCipher.generateKey()}\n`, { mode: 0o600, flag: 'wx' });
  }
  return SecretCipher.fromBase64(fs.readFileSync(file, 'utf8'));
}
