import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/load-config';
import { SecretCipher } from './secret-cipher';

export const SECRET_KEY_FILE = 'secret-encryption-key';

const MISSING_KEY =
  'Invalid configuration:\n  SECRET_ENCRYPTION_KEY: required with DATABASE_URL (32 random bytes, base64: `openssl rand -base64 32`)';

/**
 * The keyring for secrets at rest: `SECRET_ENCRYPTION_KEY` as the current key when set; on the embedded default, a
 * key created under DATA_DIR on first start (mode 600) and reused, so the data folder is self-contained. The keys
 * of `SECRET_ENCRYPTION_KEYS_OLD` still decrypt (a rotation under way), whichever is current.
 */
export function loadSecretCipher(options: {
  configuredKey: string | undefined;
  /** @default none */
  previousKeys?: readonly string[];
  dataDir: string;
  /**
   * Whether the key file under `dataDir` may be used when no key is configured: created if absent (`true`, the
   * embedded default), only read if present (`'existing'`, the CLI beside an embedded install), or never (`false`).
   */
  embedded: boolean | 'existing';
}): SecretCipher {
  const previous = options.previousKeys ?? [];
  if (options.configuredKey) return SecretCipher.fromBase64(options.configuredKey, previous);
  if (!options.embedded) throw new ConfigError(MISSING_KEY);
  const file = path.join(options.dataDir, SECRET_KEY_FILE);
  if (!fs.existsSync(file)) {
    if (options.embedded === 'existing')
      throw new ConfigError(`${MISSING_KEY}, or a DATA_DIR holding ${SECRET_KEY_FILE}`);
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(file, `${SecretCipher.generateKey()}\n`, { mode: 0o600, flag: 'wx' });
  }
  return SecretCipher.fromBase64(fs.readFileSync(file, 'utf8'), previous);
}
