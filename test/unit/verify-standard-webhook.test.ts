import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import {
  WebhookVerificationError,
  verifyStandardWebhook,
  type WebhookVerificationErrorCode,
} from '../../src/signature';
import { generateWebhookSecret } from '../../src/signature/sign-payload';
import {
  buildStandardWebhooksSignatureHeader,
  computeStandardWebhooksSignature,
} from '../../src/signature/standard-webhooks-signature';

const NOW = 1_700_000_000;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'evt_1';
const BODY = '{"id":"evt_1","event":"webhook.test","timestamp":"2026-01-01T00:00:00.000Z","data":{"message":"hi"}}';
const GOOD = computeStandardWebhooksSignature(SECRET, ID, NOW, BODY);

function headers(
  signature: string | undefined,
  timestamp: string | undefined = String(NOW),
  id: string | undefined = ID,
) {
  return { id, timestamp, signature };
}

function rejectsWith(code: WebhookVerificationErrorCode, run: () => unknown): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, `expected WebhookVerificationError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('verify-standard-webhook', () => {
  it('accepts what the sender signs and returns the id and timestamp', () => {
    assert.deepEqual(
      verifyStandardWebhook({ payload: BODY, headers: headers(`v1,${GOOD}`), secret: SECRET, nowSeconds: NOW }),
      { id: ID, timestamp: NOW },
    );
  });

  it('accepts what the standardwebhooks package signs', () => {
    const secret = generateWebhookSecret();
    const signature = new Webhook(secret).sign(ID, new Date(NOW * 1000), BODY);
    assert.equal(
      verifyStandardWebhook({ payload: Buffer.from(BODY), headers: headers(signature), secret, nowSeconds: NOW }).id,
      ID,
    );
  });

  it('accepts a rotation header against either secret and rejects an unrelated one', () => {
    const fresh = generateWebhookSecret();
    const signature = buildStandardWebhooksSignatureHeader([SECRET, fresh], ID, NOW, BODY);
    for (const secret of [SECRET, fresh, [generateWebhookSecret(), fresh]]) {
      verifyStandardWebhook({ payload: BODY, headers: headers(signature), secret, nowSeconds: NOW });
    }
    rejectsWith('signature_mismatch', () =>
      verifyStandardWebhook({
        payload: BODY,
        headers: headers(signature),
        secret: generateWebhookSecret(),
        nowSeconds: NOW,
      }),
    );
  });

  it('rejects a changed body, id or timestamp as signature_mismatch', () => {
    const signature = `v1,${GOOD}`;
    rejectsWith('signature_mismatch', () =>
      verifyStandardWebhook({ payload: BODY + ' ', headers: headers(signature), secret: SECRET, nowSeconds: NOW }),
    );
    rejectsWith('signature_mismatch', () =>
      verifyStandardWebhook({
        payload: BODY,
        headers: headers(signature, String(NOW), 'evt_2'),
        secret: SECRET,
        nowSeconds: NOW,
      }),
    );
    rejectsWith('signature_mismatch', () =>
      verifyStandardWebhook({
        payload: BODY,
        headers: headers(signature, String(NOW + 1)),
        secret: SECRET,
        nowSeconds: NOW,
      }),
    );
  });

  it('enforces the tolerance in both directions, 300 s by default', () => {
    for (const t of [NOW - 300, NOW + 300]) {
      const signature = `v1,${computeStandardWebhooksSignature(SECRET, ID, t, BODY)}`;
      verifyStandardWebhook({ payload: BODY, headers: headers(signature, String(t)), secret: SECRET, nowSeconds: NOW });
    }
    for (const t of [NOW - 301, NOW + 301]) {
      const signature = `v1,${computeStandardWebhooksSignature(SECRET, ID, t, BODY)}`;
      rejectsWith('timestamp_out_of_tolerance', () =>
        verifyStandardWebhook({
          payload: BODY,
          headers: headers(signature, String(t)),
          secret: SECRET,
          nowSeconds: NOW,
        }),
      );
    }
  });

  it('rejects missing headers as missing_header', () => {
    for (const h of [
      headers(undefined),
      { id: ID, timestamp: undefined, signature: `v1,${GOOD}` },
      { id: undefined, timestamp: String(NOW), signature: `v1,${GOOD}` },
      headers(`v1,${GOOD}`, String(NOW), ' '),
    ]) {
      rejectsWith('missing_header', () =>
        verifyStandardWebhook({ payload: BODY, headers: h, secret: SECRET, nowSeconds: NOW }),
      );
    }
  });

  const malformed: Array<[string, string, string]> = [
    ['an entry without a version', GOOD, String(NOW)],
    ['a v1 with characters after a valid signature', `v1,${GOOD}zz`, String(NOW)],
    ['a v1 in base64url', `v1,${GOOD.replace(/\+/g, '-').replace(/\//g, '_')}x`, String(NOW)],
    ['a v1 without padding', `v1,${GOOD.slice(0, -1)}`, String(NOW)],
    ['an empty v1', 'v1,', String(NOW)],
    ['a valid v1 next to a malformed one', `v1,${GOOD} v1,zz`, String(NOW)],
    ['only other versions', `v1a,${GOOD}`, String(NOW)],
    ['a t with a leading zero', `v1,${GOOD}`, `0${NOW}`],
    ['a negative t', `v1,${GOOD}`, `-${NOW}`],
    ['a t with a fraction', `v1,${GOOD}`, `${NOW}.5`],
    ['a t of 16 digits', `v1,${GOOD}`, `1${'0'.repeat(15)}`],
  ];
  for (const [what, signature, timestamp] of malformed) {
    it(`rejects ${what} as malformed_header`, () => {
      rejectsWith('malformed_header', () =>
        verifyStandardWebhook({
          payload: BODY,
          headers: headers(signature, timestamp),
          secret: SECRET,
          nowSeconds: NOW,
        }),
      );
    });
  }

  it('refuses configuration mistakes loudly instead of turning checks off', () => {
    const run = (extra: object) => () =>
      verifyStandardWebhook({
        payload: BODY,
        headers: headers(`v1,${GOOD}`),
        secret: SECRET,
        nowSeconds: NOW,
        ...extra,
      });
    assert.throws(run({ toleranceSeconds: Number.NaN }), RangeError);
    assert.throws(run({ toleranceSeconds: -1 }), RangeError);
    assert.throws(run({ nowSeconds: Number.POSITIVE_INFINITY }), RangeError);
    assert.throws(run({ secret: [] }), TypeError);
    assert.throws(run({ secret: 'whsec_testsecret123' }), TypeError);
  });
});
