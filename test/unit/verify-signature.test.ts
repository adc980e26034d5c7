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

  describe('strict parsing (security audit finding 13)', () => {
    const good = computeSignature(SECRET, NOW, BODY);
    const strictlyMalformed: Array<[string, string]> = [
      ['a v1 with non-hex characters after a valid signature', `t=${NOW},v1=${good}zzzz`],
      ['a v1 with one hex digit too many', `t=${NOW},v1=${good}f`],
      ['a v1 with one hex digit too few', `t=${NOW},v1=${good.slice(0, 63)}`],
      ['a v1 in uppercase hex', `t=${NOW},v1=${good.toUpperCase()}`],
      ['an empty v1', `t=${NOW},v1=`],
      ['a v1 with a space inside', `t=${NOW},v1=${good.slice(0, 32)} ${good.slice(32)}`],
      ['a malformed v1 next to a valid one', `t=${NOW},v1=${good},v1=${good}zz`],
      ['a t with a leading zero', `t=0${NOW},v1=${good}`],
      ['a t with a plus sign', `t=+${NOW},v1=${good}`],
      ['a negative t', `t=-${NOW},v1=${good}`],
      ['a t with a fraction', `t=${NOW}.5,v1=${good}`],
      ['a t in exponent notation', `t=1.7e9,v1=${good}`],
      ['a t in hex', `t=0x6553f100,v1=${good}`],
      ['an empty t', `t=,v1=${good}`],
      ['a t of 16 digits', `t=1${'0'.repeat(15)},v1=${good}`],
    ];
    for (const [what, header] of strictlyMalformed) {
      it(`rejects ${what} as malformed_header`, () => {
        rejectsWith('malformed_header', () =>
          verifyWebhookSignature({ payload: BODY, signatureHeader: header, secret: SECRET, nowSeconds: NOW }),
        );
      });
    }

    it('still accepts the exact header the sender builds, and ignores unknown schemes with any value', () => {
      const signatureHeader = `t=${NOW},v2=NOT-HEX!,v1=${good}`;
      assert.equal(
        verifyWebhookSignature({ payload: BODY, signatureHeader, secret: SECRET, nowSeconds: NOW }).timestamp,
        NOW,
      );
    });

    const badTolerances: Array<[string, unknown]> = [
      ['NaN', Number.NaN],
      ["Number('abc')", Number('abc')],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
      ['a negative number', -1],
      ['a string', '300'],
    ];
    for (const [what, toleranceSeconds] of badTolerances) {
      it(`throws a RangeError for a tolerance that is ${what}, instead of turning the time check off`, () => {
        const ancient = buildSignatureHeader([SECRET], NOW - 10_000_000, BODY);
        assert.throws(
          () =>
            verifyWebhookSignature({
              payload: BODY,
              signatureHeader: ancient,
              secret: SECRET,
              nowSeconds: NOW,
              toleranceSeconds: toleranceSeconds as number,
            }),
          (error: unknown) => error instanceof RangeError && /toleranceSeconds/.test(error.message),
        );
      });
    }

    it('throws the RangeError for a bad tolerance before looking at the header', () => {
      assert.throws(
        () =>
          verifyWebhookSignature({
            payload: BODY,
            signatureHeader: undefined,
            secret: SECRET,
            nowSeconds: NOW,
            toleranceSeconds: Number.NaN,
          }),
        RangeError,
      );
    });

    it('throws a RangeError for a receiver clock that is not a finite number', () => {
      const signatureHeader = buildSignatureHeader([SECRET], NOW, BODY);
      for (const nowSeconds of [Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(
          () => verifyWebhookSignature({ payload: BODY, signatureHeader, secret: SECRET, nowSeconds }),
          (error: unknown) => error instanceof RangeError && /nowSeconds/.test(error.message),
        );
      }
    });

    it('treats a tolerance of 0 as "the same second only"', () => {
      const exact = buildSignatureHeader([SECRET], NOW, BODY);
      assert.doesNotThrow(() =>
        verifyWebhookSignature({
          payload: BODY,
          signatureHeader: exact,
          secret: SECRET,
          nowSeconds: NOW,
          toleranceSeconds: 0,
        }),
      );
      const late = buildSignatureHeader([SECRET], NOW - 1, BODY);
      rejectsWith('timestamp_out_of_tolerance', () =>
        verifyWebhookSignature({
          payload: BODY,
          signatureHeader: late,
          secret: SECRET,
          nowSeconds: NOW,
          toleranceSeconds: 0,
        }),
      );
    });
  });

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
