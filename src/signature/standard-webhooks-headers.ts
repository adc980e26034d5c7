import { buildStandardWebhooksSignatureHeader, isStandardWebhooksSecret } from './standard-webhooks-signature';

/**
 * The three headers Standard Webhooks mode adds beside `X-Lettermint-*`: `webhook-id` is the envelope id (the same
 * on every retry, so receivers de-duplicate on it), `webhook-timestamp` the same seconds as `t`.
 *
 * Only secrets in the `whsec_` + base64 format can sign here. The current one always is (the mode cannot be chosen
 * otherwise); a previous secret still in its grace period may predate the format, and then only the Lettermint
 * header carries it.
 */
export function buildStandardWebhooksHeaders(
  secrets: readonly string[],
  envelopeId: string,
  timestampSeconds: number,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const usable = secrets.filter(isStandardWebhooksSecret);
  return {
    'webhook-id': envelopeId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': buildStandardWebhooksSignatureHeader(usable, envelopeId, timestampSeconds, body),
  };
}
