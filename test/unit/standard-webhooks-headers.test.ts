import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret } from '../../src/signature/sign-payload';
import { buildStandardWebhooksHeaders } from '../../src/signature/standard-webhooks-headers';

const BODY = '{"id":"evt_1","event":"message.sent","timestamp":"2026-01-01T00:00:00.000Z","data":{}}';

describe('standard-webhooks-headers', () => {
  it('names the envelope id and t, and signs with every secret in order', () => {
    const [old, fresh] = [generateWebhookSecret(), generateWebhookSecret()];
    const now = Math.floor(Date.now() / 1000);
    const headers = buildStandardWebhooksHeaders([old, fresh], 'evt_1', now, BODY);
    assert.equal(headers['webhook-id'], 'evt_1');
    assert.equal(headers['webhook-timestamp'], String(now));
    assert.equal(headers['webhook-signature'].split(' ').length, 2);
    for (const secret of [old, fresh]) new Webhook(secret).verify(BODY, headers);
  });

  it('leaves a previous secret in the old format out of webhook-signature (it still signs the Lettermint header)', () => {
    const fresh = generateWebhookSecret();
    const oldFormat = 'whsec_' + Buffer.alloc(32, 0xfb).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const headers = buildStandardWebhooksHeaders([oldFormat, fresh], 'evt_1', now, BODY);
    assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]{43}=$/);
    new Webhook(fresh).verify(BODY, headers);
  });
});
