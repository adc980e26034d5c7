import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Written before keys had ids: `enc:v1:<base64url(iv | tag | ciphertext)>`. Still read, never written. */
const V1_PREFIX = 'enc:v1:';
/** `enc:v2:<key id>:<base64url(iv | tag | ciphertext)>`: what every value is written as. */
const V2_PREFIX = 'enc:v2:';
const IV_BYTES = 12;
/** Pinned on both sides: without it, Node accepts a truncated GCM tag, which is easier to forge (audit 18). */
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Why a stored value cannot be read: no key for it, tampered, or not encrypted at all. */
export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
}

/**
 * AES-256-GCM for secrets at rest (webhook signing secrets) and for what must travel sealed through workflow
 * history. A stolen database dump (or backup) then holds no usable secret without the keys, which live in the
 * environment (or, on the embedded default, in a file beside the data).
 *
 * A keyring (ADR 12): one current key, which encrypts, and any number of previous ones, which only decrypt. Every
 * value names the key it was encrypted with (the first 8 hex digits of the key's SHA-256), so a value of a retired
 * key fails with the id it needs, and `reencrypt-secrets` can tell which values are still to move.
 */
export class SecretCipher {
  /** Id of the key that encrypts: the first 8 hex digits of its SHA-256. */
  readonly currentKeyId: string;
  /** Every key by id, the current one first. */
  private readonly keys: Map<string, Buffer>;

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.keys = new Map();
    for (const key of [current, ...previous]) {
      if (key.length !== KEY_BYTES) {
        throw new RangeError(`a secret encryption key must be ${KEY_BYTES} bytes, not ${key.length}`);
      }
      const id = SecretCipher.keyIdOf(key);
      const known = this.keys.get(id);
      if (known && !known.equals(key)) throw new RangeError(`two different keys share the id ${id}: generate another`);
      this.keys.set(id, key);
    }
    this.currentKeyId = SecretCipher.keyIdOf(current);
  }

  /** From `SECRET_ENCRYPTION_KEY` and `SECRET_ENCRYPTION_KEYS_OLD`: 32 bytes each, base64 or base64url. */
  static fromBase64(current: string, previous: readonly string[] = []): SecretCipher {
    const decode = (text: string) => Buffer.from(text.trim(), 'base64');
    return new SecretCipher(decode(current), previous.map(decode));
  }

  static generateKey(): string {
    return randomBytes(KEY_BYTES).toString('base64');
  }

  /** A key's public name: the first 8 hex digits of its SHA-256 (32 bits say nothing useful about 256). */
  static keyIdOf(key: Buffer): string {
    return createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** Ids of every configured key, the current one first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv, { authTagLength: TAG_BYTES });
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const packed = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    return `${V2_PREFIX}${this.currentKeyId}:${packed}`;
  }

  /**
   * Reads what `encrypt` wrote with any configured key, and `enc:v1:` values (which name no key: each is tried).
   * Anything else is refused: a value without the prefix used to be taken as a secret in clear, so whoever could
   * write to the database could plant a known secret without the key (audit 18).
   */
  decrypt(stored: string): string {
    if (stored.startsWith(V2_PREFIX)) {
      const rest = stored.slice(V2_PREFIX.length);
      const colon = rest.indexOf(':');
      const keyId = colon < 0 ? '' : rest.slice(0, colon);
      const key = this.keys.get(keyId);
      if (!key) {
        throw new SecretDecryptionError(
          `no configured key has id ${keyId || '(none)'}: add the key it was encrypted with to SECRET_ENCRYPTION_KEYS_OLD`,
        );
      }
      return open(key, rest.slice(colon + 1));
    }
    if (stored.startsWith(V1_PREFIX)) {
      for (const key of this.keys.values()) {
        try {
          return open(key, stored.slice(V1_PREFIX.length));
        } catch {
          // not this key: try the next
        }
      }
      throw new SecretDecryptionError('no configured key decrypts this enc:v1 value');
    }
    throw new SecretDecryptionError('refused: the stored value is not encrypted (no enc: prefix)');
  }

  /** Whether a stored value is already encrypted with the current key (what re-encryption skips). */
  isOnCurrentKey(stored: string): boolean {
    return stored.startsWith(`${V2_PREFIX}${this.currentKeyId}:`);
  }
}

/** Whether a stored value is encrypted at all (has one of the prefixes), readable or not. */
export function isEncryptedValue(stored: string): boolean {
  return stored.startsWith(V2_PREFIX) || stored.startsWith(V1_PREFIX);
}

function open(key: Buffer, packedText: string): string {
  const packed = Buffer.from(packedText, 'base64url');
  if (packed.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError('the stored value is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError('the stored value does not authenticate with its key (tampered, or another key)');
  }
}
