import assert from 'node:assert/strict';
import { basicAuthorization, decryptBasicAuth, encryptBasicAuth } from '../../src/secrets/basic-auth-credentials';
import { SecretCipher, SecretDecryptionError } from '../../src/secrets/secret-cipher';

describe('Basic Auth credentials', () => {
  const cipher = new SecretCipher(Buffer.alloc(32, 0x41));

  it("builds RFC 7617's own example header, and UTF-8 for characters beyond ASCII", () => {
    assert.equal(
      basicAuthorization({ username: 'Aladdin', password: 'open sesame' }),
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
    // RFC 7617 §2.1: "test" / "123£" in UTF-8.
    assert.equal(basicAuthorization({ username: 'test', password: '123\u00a3' }), 'Basic dGVzdDoxMjPCow==');
    assert.equal(basicAuthorization({ username: 'token', password: '' }), 'Basic dG9rZW46');
  });

  it('stores them encrypted and reads them back, a colon in the password included', () => {
    const credentials = { username: 'user', password: 'pass:with:colons' };
    const stored = encryptBasicAuth(cipher, credentials);
    assert.match(stored, /^enc:v2:[0-9a-f]{8}:/);
    assert.ok(!stored.includes('user') && !stored.includes('colons'));
    assert.deepEqual(decryptBasicAuth(cipher, stored), credentials);
  });

  it('refuses what another key encrypted, or what is not credentials, as a decryption error', () => {
    const other = new SecretCipher(Buffer.alloc(32, 0x42));
    const cases = [
      encryptBasicAuth(other, { username: 'u', password: 'p' }),
      cipher.encrypt('user:pass'),
      cipher.encrypt('{"username":"u"}'),
      cipher.encrypt('null'),
    ];
    for (const stored of cases) assert.throws(() => decryptBasicAuth(cipher, stored), SecretDecryptionError);
  });
});
