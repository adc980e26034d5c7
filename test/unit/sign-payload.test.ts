import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildSignatureHeader, computeSignature, generateWebhookSecret } from '../../src/signature/sign-payload';

const VECTOR = {
  secret: 'whsec_testsecret123',
  timestamp: 1_700_000_000,
  body: '{"id":"evt-1","event":"webhook.test","timestamp":"2026-01-01T00:00:00.000Z","data":{"message":"hi"}}',
  v1: 'bec5eb1ed078cb83af91e9b4f0e5da885506c3d3ab255cce73b94883d578d99a',
};

describe('sign-payload', () => {
  describe('computeSignature', () => {
    it('matches the SPEC test vector', () => {
      assert.equal(computeSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body), VECTOR.v1);
    });

    it('signs raw bytes the same as the equivalent UTF-8 string', () => {
      const body = '{"data":{"name":"Zoë 😀"}}';
      assert.equal(
        computeSignature(VECTOR.secret, VECTOR.timestamp, Buffer.from(body, 'utf8')),
        computeSignature(VECTOR.secret, VECTOR.timestamp, body),
      );
    });

    it('keys the HMAC with the whole secret, whsec_ prefix included', () => {
      const withoutPrefix = computeSignature('testsecret123', VECTOR.timestamp, VECTOR.body);
      assert.notEqual(withoutPrefix, VECTOR.v1);
    });

    it('changes when the timestamp or a single body byte changes', () => {
      assert.notEqual(computeSignature(VECTOR.secret, VECTOR.timestamp + 1, VECTOR.body), VECTOR.v1);
      assert.notEqual(computeSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body.replace('hi', 'hI')), VECTOR.v1);
    });
  });

  describe('buildSignatureHeader', () => {
    it('formats a single secret as t=<seconds>,v1=<64 lowercase hex>', () => {
      const header = buildSignatureHeader([VECTOR.secret], VECTOR.timestamp, VECTOR.body);
      assert.equal(header, `t=${VECTOR.timestamp},v1=${VECTOR.v1}`);
      assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
    });

    it('emits one v1 per secret in the given order for rotation grace periods', () => {
      const oldSecret = 'whsec_old';
      const newSecret = 'whsec_new';
      const header = buildSignatureHeader([oldSecret, newSecret], VECTOR.timestamp, VECTOR.body);
      assert.equal(
        header,
        `t=${VECTOR.timestamp}` +
          `,v1=${computeSignature(oldSecret, VECTOR.timestamp, VECTOR.body)}` +
          `,v1=${computeSignature(newSecret, VECTOR.timestamp, VECTOR.body)}`,
      );
    });

    it('refuses to build a header without any secret', () => {
      assert.throws(() => buildSignatureHeader([], VECTOR.timestamp, VECTOR.body), RangeError);
    });
  });

  describe('generateWebhookSecret', () => {
    it('returns whsec_ followed by standard padded base64 of exactly 32 bytes', () => {
      for (let i = 0; i < 50; i += 1) {
        const secret = generateWebhookSecret();
        // 32 bytes are 43 base64 characters and one '=' of padding.
        assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
        const decoded = Buffer.from(secret.slice('whsec_'.length), 'base64');
        assert.equal(decoded.length, 32, `decoded ${decoded.length} bytes`);
        assert.equal(decoded.toString('base64'), secret.slice('whsec_'.length), 'round-trips as standard base64');
      }
    });

    it('still works as a Lettermint key: the whole string, prefix included, keys the v1', () => {
      const secret = generateWebhookSecret();
      const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
        .update(`${VECTOR.timestamp}.${VECTOR.body}`)
        .digest('hex');
      assert.equal(computeSignature(secret, VECTOR.timestamp, VECTOR.body), expected);
    });

    it('never repeats and uses the whole byte range', () => {
      const secrets = Array.from({ length: 200 }, () => generateWebhookSecret());
      assert.equal(new Set(secrets).size, secrets.length);
      const byteValues = new Set<number>();
      for (const secret of secrets) {
        for (const byte of Buffer.from(secret.slice('whsec_'.length), 'base64')) byteValues.add(byte);
      }
      // 6,400 random bytes cover all 256 values with overwhelming probability; a weak source would not.
      assert.ok(byteValues.size > 250, `only ${byteValues.size} distinct byte values`);
    });
  });
});
