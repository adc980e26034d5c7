import assert from 'node:assert/strict';
import { buildSignatureHeader, generateWebhookSecret } from '../../src/signature/sign-payload';
import {
  WebhookVerificationError,
  computeSignature,
  parseWebhookEvent,
  verifyWebhookSignature,
  type WebhookVerificationErrorCode,
} from '../../src/signature';

const NOW = 1_700_000_000;
const SECRET = 'whsec_testsecret123';
const BODY = '{"id":"evt-1","event":"webhook.test","timestamp":"2026-01-01T00:00:00.000Z","data":{"message":"hi"}}';

function rejectsWith(code: WebhookVerificationErrorCode, run: () => unknown): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, `expected WebhookVerificationError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('verify-signature', () => {
  it('accepts what the sender signs and returns the signed timestamp', () => {
    const secret = generateWebhookSecret();
    const signatureHeader = buildSignatureHeader([secret], NOW, BODY);
    assert.deepEqual(verifyWebhookSignature({ payload: BODY, signatureHeader, secret, nowSeconds: NOW }), {
      timestamp: NOW,
    });
  });

  it('verifies against the real clock when nowSeconds is not given', () => {
    const t = Math.floor(Date.now() / 1000);
    const signatureHeader = buildSignatureHeader([SECRET], t, BODY);
    assert.equal(verifyWebhookSignature({ payload: BODY, signatureHeader, secret: SECRET }).timestamp, t);
  });

  it('rejects a missing or empty header as missing_header', () => {
    rejectsWith('missing_header', () =>
      verifyWebhookSignature({ payload: BODY, signatureHeader: undefined, secret: SECRET, nowSeconds: NOW }),
    );
    rejectsWith('missing_header', () =>
      verifyWebhookSignature({ payload: BODY, signatureHeader: '  ', secret: SECRET, nowSeconds: NOW }),
    );
  });

  const v1 = 'a'.repeat(64);
  const malformed: Array<[string, string]> = [
    ['a header that is not key=value', 'garbage'],
    ['a header without t', `v1=${v1}`],
    ['a header without v1', `t=${NOW}`],
    ['a non-numeric t', `t=abc,v1=${v1}`],
    ['a header with two t', `t=${NOW},t=${NOW},v1=${v1}`],
  ];
  for (const [what, header] of malformed) {
    it(`rejects ${what} as malformed_header`, () => {
      rejectsWith('malformed_header', () =>
        verifyWebhookSignature({ payload: BODY, signatureHeader: header, secret: SECRET, nowSeconds: NOW }),
      );
    });
  }

  it('accepts timestamps exactly 300 s old or ahead and rejects 301 s either way', () => {
    for (const offset of [-300, 300]) {
      const signatureHeader = buildSignatureHeader([SECRET], NOW + offset, BODY);
      assert.equal(
        verifyWebhookSignature({ payload: BODY, signatureHeader, secret: SECRET, nowSeconds: NOW }).timestamp,
        NOW + offset,
      );
    }
    for (const offset of [-301, 301]) {
      const signatureHeader = buildSignatureHeader([SECRET], NOW + offset, BODY);
      rejectsWith('timestamp_out_of_tolerance', () =>
        verifyWebhookSignature({ payload: BODY, signatureHeader, secret: SECRET, nowSeconds: NOW }),
      );
    }
  });

  it('honours a custom tolerance', () => {
    const signatureHeader = buildSignatureHeader([SECRET], NOW - 11, BODY);
    rejectsWith('timestamp_out_of_tolerance', () =>
      verifyWebhookSignature({ payload: BODY, signatureHeader, secret: SECRET, nowSeconds: NOW, toleranceSeconds: 10 }),
    );
  });

  it('rejects a tampered body, a wrong secret and a re-stamped header as signature_mismatch', () => {
    const signatureHeader = buildSignatureHeader([SECRET], NOW, BODY);
    rejectsWith('signature_mismatch', () =>
      verifyWebhookSignature({ payload: BODY.replace('hi', 'ho'), signatureHeader, secret: SECRET, nowSeconds: NOW }),
    );
    rejectsWith('signature_mismatch', () =>
      verifyWebhookSignature({ payload: BODY, signatureHeader, secret: 'whsec_other', nowSeconds: NOW }),
    );
    const restamped = signatureHeader.replace(`t=${NOW}`, `t=${NOW + 1}`);
    rejectsWith('signature_mismatch', () =>
      verifyWebhookSignature({ payload: BODY, signatureHeader: restamped, secret: SECRET, nowSeconds: NOW }),
    );
  });

  describe('during a secret rotation (header carries old and new v1)', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const signatureHeader = buildSignatureHeader([oldSecret, newSecret], NOW, BODY);

    it('passes a receiver that only knows the new secret', () => {
      assert.doesNotThrow(() =>
        verifyWebhookSignature({ payload: BODY, signatureHeader, secret: newSecret, nowSeconds: NOW }),
      );
    });

    it('passes a receiver that only knows the old secret', () => {
      assert.doesNotThrow(() =>
        verifyWebhookSignature({ payload: BODY, signatureHeader, secret: oldSecret, nowSeconds: NOW }),
      );
    });

    it('fails a receiver with an unrelated secret', () => {
      rejectsWith('signature_mismatch', () =>
        verifyWebhookSignature({ payload: BODY, signatureHeader, secret: generateWebhookSecret(), nowSeconds: NOW }),
      );
    });

    it('passes a receiver that holds several secrets when any one matches', () => {
      const secret = [generateWebhookSecret(), newSecret];
      assert.doesNotThrow(() => verifyWebhookSignature({ payload: BODY, signatureHeader, secret, nowSeconds: NOW }));
    });
  });

  it('verifies a Buffer payload with non-ASCII bytes exactly as received', () => {
    const text = JSON.stringify({
      id: 'evt-2',
      event: 'message.inbound',
      timestamp: '2026-01-01T00:00:00.000Z',
      data: { subject: 'Grüße 🌊 / ok' },
    });
    const payload = Buffer.from(text, 'utf8');
    assert.notEqual(payload.length, text.length, 'the body has multi-byte characters');
    const signatureHeader = buildSignatureHeader([SECRET], NOW, text);
    assert.doesNotThrow(() => verifyWebhookSignature({ payload, signatureHeader, secret: SECRET, nowSeconds: NOW }));

    const flipped = Buffer.from(payload);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] ?? 0) ^ 1;
    rejectsWith('signature_mismatch', () =>
      verifyWebhookSignature({ payload: flipped, signatureHeader, secret: SECRET, nowSeconds: NOW }),
    );
  });

  it('accepts a header with spaces and an unknown scheme next to v1', () => {
    const v1 = computeSignature(SECRET, NOW, BODY);
    const signatureHeader = `t=${NOW}, v0=deadbeef, v1=${v1}`;
    assert.doesNotThrow(() =>
      verifyWebhookSignature({ payload: BODY, signatureHeader, secret: SECRET, nowSeconds: NOW }),
    );
  });

  it('parses the envelope of a verified event and refuses an unverified one', () => {
    const signatureHeader = buildSignatureHeader([SECRET], NOW, BODY);
    const event = parseWebhookEvent<{ message: string }>({
      payload: BODY,
      signatureHeader,
      secret: SECRET,
      nowSeconds: NOW,
    });
    assert.deepEqual(event, {
      id: 'evt-1',
      event: 'webhook.test',
      timestamp: '2026-01-01T00:00:00.000Z',
      data: { message: 'hi' },
    });
    rejectsWith('signature_mismatch', () =>
      parseWebhookEvent({ payload: BODY, signatureHeader, secret: 'whsec_wrong', nowSeconds: NOW }),
    );
  });
});
