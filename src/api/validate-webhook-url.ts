import { blockedHostReason } from '../targets/blocked-host';
import { MAX_WEBHOOK_URL_LENGTH, type TargetPolicy } from '../targets/target-policy';

export { MAX_WEBHOOK_URL_LENGTH, type TargetPolicy };

/**
 * The single rule for a webhook URL, used on create and update: answers the 422 message (in Laravel's words, as
 * Lettermint's API answers), or undefined when the URL is acceptable. It judges the URL text only, the host
 * included when it is an address in any spelling or a local-only name (`src/targets`); checking what a name
 * resolves to belongs here as well, and every attempt is judged again at connect time by the guarded dispatcher.
 */
export function validateWebhookUrl(url: string, targets: TargetPolicy): string | undefined {
  if (url.length > MAX_WEBHOOK_URL_LENGTH)
    return `The url field must not be greater than ${MAX_WEBHOOK_URL_LENGTH} characters.`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The url field must be a valid URL.';
  }
  if (parsed.protocol !== 'https:' && !(targets.allowHttp && parsed.protocol === 'http:')) {
    return targets.allowHttp
      ? 'The url field must start with https:// or http://.'
      : 'The url field must start with https://.';
  }
  // They would be stored and shown wherever the URL is; receivers authenticate us by the signature instead.
  if (parsed.username || parsed.password) return 'The url field must not contain credentials.';
  const blocked = blockedHostReason(parsed.hostname, { allowPrivate: targets.allowPrivate });
  if (blocked) return `The url field must point to a public host (refused: ${blocked}).`;
  return undefined;
}
