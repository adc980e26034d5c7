import { SecretDecryptionError, type SecretCipher } from './secret-cipher';

/** What a receiver asks for in `Authorization: Basic` (RFC 7617). Write-only: no answer ever carries it. */
export interface BasicAuthCredentials {
  username: string;
  password: string;
}

/** What the attempt record keeps instead of the header sent, so no attempt view shows the credentials. */
export const REDACTED_BASIC_AUTHORIZATION = 'Basic [redacted]';

/** Stored as the cipher's encryption of `{"username","password"}`, like the signing secret (ADR 12). */
export function encryptBasicAuth(cipher: Pick<SecretCipher, 'encrypt'>, credentials: BasicAuthCredentials): string {
  return cipher.encrypt(JSON.stringify({ username: credentials.username, password: credentials.password }));
}

/** Throws SecretDecryptionError when no configured key opens it, or when what it opens is not credentials. */
export function decryptBasicAuth(cipher: Pick<SecretCipher, 'decrypt'>, stored: string): BasicAuthCredentials {
  let value: unknown;
  try {
    value = JSON.parse(cipher.decrypt(stored));
  } catch (err) {
    if (err instanceof SecretDecryptionError) throw err;
    throw new SecretDecryptionError('the stored Basic Auth value is not JSON');
  }
  const { username, password } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof username !== 'string' || typeof password !== 'string') {
    throw new SecretDecryptionError('the stored Basic Auth value has no username and password');
  }
  return { username, password };
}

/** The header value: `Basic ` and base64 of `username:password` in UTF-8 (RFC 7617 §2, §2.1). */
export function basicAuthorization(credentials: BasicAuthCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}
