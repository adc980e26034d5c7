/**
 * The receiver's side of webhook signing: what a service consuming our webhooks imports to check them.
 * Secret generation and header building stay internal to the sender.
 */
export { computeSignature } from './sign-payload';
export {
  DEFAULT_TOLERANCE_SECONDS,
  WebhookVerificationError,
  parseWebhookEvent,
  verifyWebhookSignature,
} from './verify-signature';
export type { VerifyWebhookOptions, WebhookEvent, WebhookVerificationErrorCode } from './verify-signature';
export { computeStandardWebhooksSignature } from './standard-webhooks-signature';
export { verifyStandardWebhook } from './verify-standard-webhook';
export type { StandardWebhookHeaders, VerifyStandardWebhookOptions } from './verify-standard-webhook';
