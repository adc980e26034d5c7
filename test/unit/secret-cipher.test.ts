import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSecretCipher, SECRET_KEY_FILE } from '../../src/secrets/load-secret-cipher';
import { SecretCipher } from '../../src/secrets/secret-cipher';

describe('secrets at rest (AES-256-GCM)', () => {
  const cipher = new SecretCipher(Buffer.alloc(32, 7));

  it('round-trips a secret and never stores it in clear', () => {
    const secret = 'whsec_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_';
    const stored = cipher.encrypt(secret);
    assert.ok(!stored.includes(secret));
    assert.ok(stored.startsWith('enc:v1:'));
    assert.equal(cipher.decrypt(stored), secret);
  });

  it('uses a fresh nonce every time', () => {
    assert.notEqual(cipher.encrypt('whsec_x'), cipher.encrypt('whsec_x'));
  });

  it('refuses a tampered value and a wrong key', () => {
    const stored = cipher.encrypt('whsec_tamper');
    // Change the second-to-last character for certain (it was left as it was whenever it already read 'A').
    const tampered = stored.slice(0, -2) + (stored.at(-2) === 'A' ? 'B' : 'A') + stored.slice(-1);
    assert.throws(() => cipher.decrypt(tampered));
    assert.throws(() => new SecretCipher(Buffer.alloc(32, 8)).decrypt(stored));
  });

  it('reads rows written before encryption as they are', () => {
    assert.equal(cipher.decrypt('whsec_legacy'), 'whsec_legacy');
  });

  it('rejects keys that are not 32 bytes', () => {
    assert.throws(() => SecretCipher.fromBase64(Buffer.alloc(16).toString('base64')), /32 bytes/);
  });

  it('creates a key under DATA_DIR on the embedded default and reuses it; requires one with an external database', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-key-'));
    try {
      const first = loadSecretCipher({ configuredKey: undefined, dataDir: dir, embedded: true });
      const stored = first.encrypt('whsec_kept');
      const again = loadSecretCipher({ configuredKey: undefined, dataDir: dir, embedded: true });
      assert.equal(again.decrypt(stored), 'whsec_kept');
      assert.equal(fs.statSync(path.join(dir, SECRET_KEY_FILE)).mode & 0o777, 0o600);
      assert.throws(
        () => loadSecretCipher({ configuredKey: undefined, dataDir: dir, embedded: false }),
        /SECRET_ENCRYPTION_KEY/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
