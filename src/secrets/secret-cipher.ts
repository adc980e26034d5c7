import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for webhook signing secrets at rest. A stolen database dump (or backup) then holds no usable secret
 * without the key, which lives in the environment (or, on the embedded default, in a file beside the data).
 */
export class SecretCipher {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError(`the secret encryption key must be 32 bytes, not ${key.length}`);
    this.key = key;
  }

  /** From `SECRET_ENCRYPTION_KEY`: 32 bytes in base64 or base64url (`openssl rand -base64 32`). */
  static fromBase64(text: string): SecretCipher {
    return new SecretCipher(Buffer.from(text.trim(), 'base64'));
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
  }

  /** Reads what `encrypt` wrote; a row written before encryption was turned on is returned as it is. */
  decrypt(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const packed = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, packed.subarray(0, IV_BYTES));
    decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
