import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSecretCipher, SECRET_KEY_FILE } from '../../src/secrets/load-secret-cipher';
import { SecretCipher } from '../../src/secrets/secret-cipher';

/** A value as the first format wrote it (`enc:v1:`, no key id), to prove old rows stay readable. */
function encryptV1(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `enc:v1:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}

describe('secrets at rest (AES-256-GCM keyring)', () => {
  const oldKey = Buffer.alloc(32, 7);
  const newKey = Buffer.alloc(32, 9);
  const cipher = new SecretCipher(oldKey);

  it('round-trips a secret, naming its key, and never stores it in clear', () => {
    const secret = 'whsec_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_';
    const stored = cipher.encrypt(secret);
    assert.ok(!stored.includes(secret));
    assert.match(stored, /^enc:v2:[0-9a-f]{8}:[A-Za-z0-9_-]+$/);
    assert.ok(stored.startsWith(`enc:v2:${SecretCipher.keyIdOf(oldKey)}:`));
    assert.equal(cipher.decrypt(stored), secret);
  });

  it('uses a fresh nonce every time', () => {
    assert.notEqual(cipher.encrypt('whsec_x'), cipher.encrypt('whsec_x'));
  });

  it('refuses a tampered value, a truncated one and a wrong key', () => {
    const stored = cipher.encrypt('whsec_tamper');
    // Change the second-to-last character for certain (it was left as it was whenever it already read 'A').
    const tampered = stored.slice(0, -2) + (stored.at(-2) === 'A' ? 'B' : 'A') + stored.slice(-1);
    assert.throws(() => cipher.decrypt(tampered), /does not authenticate/);
    const prefix = stored.slice(0, stored.lastIndexOf(':') + 1);
    const packed = Buffer.from(stored.slice(prefix.length), 'base64url');
    assert.throws(() => cipher.decrypt(prefix + packed.subarray(0, 20).toString('base64url')), /truncated/);
    assert.throws(() => new SecretCipher(Buffer.alloc(32, 8)).decrypt(stored), /no configured key has id/);
  });

  it('refuses a value without the enc: prefix instead of taking it as a secret in clear', () => {
    assert.throws(() => cipher.decrypt('whsec_planted'), /not encrypted/);
    assert.throws(() => cipher.decrypt(''), /not encrypted/);
  });

  it('encrypts with the current key and decrypts with every old one, naming the missing key otherwise', () => {
    const rotated = new SecretCipher(newKey, [oldKey]);
    const before = cipher.encrypt('whsec_before');
    assert.equal(rotated.decrypt(before), 'whsec_before');
    assert.ok(rotated.encrypt('whsec_after').startsWith(`enc:v2:${rotated.currentKeyId}:`));
    assert.deepEqual(rotated.keyIds, [SecretCipher.keyIdOf(newKey), SecretCipher.keyIdOf(oldKey)]);
    assert.ok(rotated.isOnCurrentKey(rotated.encrypt('x')));
    assert.ok(!rotated.isOnCurrentKey(before));
    assert.throws(
      () => new SecretCipher(newKey).decrypt(before),
      new RegExp(`no configured key has id ${SecretCipher.keyIdOf(oldKey)}`),
    );
  });

  it('still reads enc:v1 values (no key id) with the current or an old key', () => {
    assert.equal(cipher.decrypt(encryptV1(oldKey, 'whsec_v1')), 'whsec_v1');
    assert.equal(new SecretCipher(newKey, [oldKey]).decrypt(encryptV1(oldKey, 'whsec_v1')), 'whsec_v1');
    assert.throws(() => new SecretCipher(newKey).decrypt(encryptV1(oldKey, 'whsec_v1')), /no configured key/);
  });

  it('rejects keys that are not 32 bytes, current or old', () => {
    assert.throws(() => SecretCipher.fromBase64(Buffer.alloc(16).toString('base64')), /32 bytes/);
    assert.throws(() => SecretCipher.fromBase64(newKey.toString('base64'), ['c2hvcnQ=']), /32 bytes/);
  });

  it('creates a key under DATA_DIR on the embedded default and reuses it; requires one with an external database', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-key-'));
    try {
      assert.throws(
        () => loadSecretCipher({ configuredKey: undefined, dataDir: dir, embedded: 'existing' }),
        /SECRET_ENCRYPTION_KEY/,
        'the CLI never creates a key',
      );
      const first = loadSecretCipher({ configuredKey: undefined, dataDir: dir, embedded: true });
      const stored = first.encrypt('whsec_kept');
      const again = loadSecretCipher({ configuredKey: undefined, dataDir: dir, embedded: true });
      assert.equal(again.decrypt(stored), 'whsec_kept');
      assert.equal(
        loadSecretCipher({ configuredKey: undefined, dataDir: dir, embedded: 'existing' }).decrypt(stored),
        'whsec_kept',
      );
      assert.equal(fs.statSync(path.join(dir, SECRET_KEY_FILE)).mode & 0o777, 0o600);
      assert.throws(
        () => loadSecretCipher({ configuredKey: undefined, dataDir: dir, embedded: false }),
        /SECRET_ENCRYPTION_KEY/,
      );
      const configured = loadSecretCipher({
        configuredKey: newKey.toString('base64'),
        previousKeys: [fs.readFileSync(path.join(dir, SECRET_KEY_FILE), 'utf8')],
        dataDir: dir,
        embedded: true,
      });
      assert.equal(configured.decrypt(stored), 'whsec_kept', 'the embedded key, retired to the old keys');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
