import { SecretCipher } from '../../../src/secrets/secret-cipher';

/** The key every test system (and worker process) encrypts webhook secrets with: fixed, for tests only. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 0x5a).toString('base64');
export const TEST_SECRET_CIPHER = SecretCipher.fromBase64(TEST_SECRET_KEY);
