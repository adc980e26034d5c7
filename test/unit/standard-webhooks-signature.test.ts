import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { computeSignature, generateWebhookSecret } from '../../src/signature/sign-payload';
import {
  buildStandardWebhooksSignatureHeader,
  computeStandardWebhooksSignature,
  isStandardWebhooksSecret,
  standardWebhooksKey,
} from '../../src/signature/standard-webhooks-signature';

/** The vector the Standard Webhooks reference libraries test against (standard-webhooks/standard-webhooks). */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1_614_265_330,
  body: '{"test": 2432232314}',
  signature: 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('standard-webhooks-signature', () => {
  it('matches the Standard Webhooks reference test vector', () => {
    assert.equal(
      computeStandardWebhooksSignature(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body),
      VECTOR.signature,
    );
  });

  it('signs one secret both ways: the review vector (key bytes 00..1f) in both schemes', () => {
    const secret = 'whsec_' + Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64');
    assert.equal(secret, 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=');
    const body = '{"id":"evt-1","event":"webhook.test","timestamp":"2026-01-01T00:00:00.000Z","data":{"message":"hi"}}';
    assert.equal(
      buildStandardWebhooksSignatureHeader([secret], 'evt-1', 1_700_000_000, body),
      'v1,bKOECMlnysRpwuuhMOtLPLYHm66S+POeIH+7IkW3y7E=',
    );
    assert.equal(
      computeSignature(secret, 1_700_000_000, body),
      'eda670448fbd69771326f26c3a563e4b51aa4e5292817fbc91d745cc15aab80b',
    );
  });

  it('keys the HMAC with the base64-decoded bytes after whsec_, not the string', () => {
    assert.deepEqual(standardWebhooksKey(VECTOR.secret), Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
  });

  it('formats one secret as v1,<base64> and a rotation as space-separated entries in the given order', () => {
    const fresh = generateWebhookSecret();
    assert.equal(
      buildStandardWebhooksSignatureHeader([VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body),
      `v1,${VECTOR.signature}`,
    );
    const both = buildStandardWebhooksSignatureHeader([VECTOR.secret, fresh], VECTOR.id, VECTOR.timestamp, VECTOR.body);
    assert.equal(
      both,
      `v1,${VECTOR.signature} v1,${computeStandardWebhooksSignature(fresh, VECTOR.id, VECTOR.timestamp, VECTOR.body)}`,
    );
    assert.match(both, /^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
    assert.throws(() => buildStandardWebhooksSignatureHeader([], VECTOR.id, VECTOR.timestamp, VECTOR.body), RangeError);
  });

  it('is what the standardwebhooks package verifies, for every freshly generated secret', () => {
    const secret = generateWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(now),
      'webhook-signature': buildStandardWebhooksSignatureHeader([secret], 'evt_1', now, VECTOR.body),
    };
    assert.deepEqual(new Webhook(secret).verify(VECTOR.body, headers), { test: 2432232314 });
  });

  it('tells old-format secrets (base64url without padding, or not base64 at all) from Standard Webhooks ones', () => {
    assert.equal(isStandardWebhooksSecret(generateWebhookSecret()), true);
    assert.equal(isStandardWebhooksSecret(VECTOR.secret), true);
    for (const old of [
      'whsec_testsecret123',
      'whsec_' + Buffer.alloc(32, 0xfb).toString('base64url'),
      'whsec_',
      'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS',
    ]) {
      assert.equal(isStandardWebhooksSecret(old), false, old);
      assert.throws(() => computeStandardWebhooksSignature(old, 'id', 1, '{}'), RangeError, old);
    }
  });
});
