/**
 * How a webhook's attempts are signed. `lettermint`: `X-Lettermint-Signature` only. `standard_webhooks`: the same,
 * plus `webhook-id`, `webhook-timestamp` and `webhook-signature` (standardwebhooks.com v1.0.0) beside it (ADR 0011).
 */
export const SIGNATURE_SCHEMES = ['lettermint', 'standard_webhooks'] as const;

export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

/** @default for every webhook, existing ones included */
export const DEFAULT_SIGNATURE_SCHEME: SignatureScheme = 'lettermint';
