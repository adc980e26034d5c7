export { MAX_WEBHOOK_URL_LENGTH, type TargetPolicy } from '../targets/target-policy';
import { checkWebhookUrlSyntax } from '../targets/target-policy';

/**
 * The URL rule as the request schemas apply it (synchronously, on the text); the create and update handlers then
 * check what a host name resolves to with `checkWebhookUrl`, and every attempt is checked again at connect time.
 */
export const validateWebhookUrl = checkWebhookUrlSyntax;
