import { deliverySchema } from '../schemas/delivery-schemas';
import { conflictSchema, messageSchema } from '../schemas/error-schemas';
import { portalSessionSchema, portalSessionWithUrlSchema } from '../schemas/portal-session-schemas';
import { projectSchema } from '../schemas/project-schemas';
import { replayJobSchema } from '../schemas/replay-job-schemas';
import { routeSchema } from '../schemas/route-schemas';
import { tokenSchema, tokenWithSecretSchema } from '../schemas/token-schemas';
import { attemptDetailSchema, attemptSummarySchema } from '../schemas/webhook-delivery-schemas';
import { webhookListItemSchema, webhookSchema, webhookWithSecretSchema } from '../schemas/webhook-schemas';
import type { ApiOperation, NamedSchema } from './api-operation';
import { deliveryOperations } from './delivery-operations';
import { eventOperations } from './event-operations';
import { portalSessionOperations } from './portal-session-operations';
import { projectOperations } from './project-operations';
import { replayJobOperations } from './replay-job-operations';
import { routeOperations } from './route-operations';
import { tokenOperations } from './token-operations';
import { webhookOperations } from './webhook-operations';

export type { ApiOperation, NamedSchema } from './api-operation';

/** Resource objects, registered first so that the answers that wrap them refer to them instead of repeating them. */
export const RESOURCE_SCHEMAS: NamedSchema[] = [
  { name: 'Project', schema: projectSchema },
  { name: 'Route', schema: routeSchema },
  { name: 'WebhookListItem', schema: webhookListItemSchema },
  { name: 'Webhook', schema: webhookSchema },
  { name: 'WebhookWithSecret', schema: webhookWithSecretSchema },
  { name: 'Attempt', schema: attemptSummarySchema },
  { name: 'AttemptDetail', schema: attemptDetailSchema },
  { name: 'Delivery', schema: deliverySchema },
  { name: 'ReplayJob', schema: replayJobSchema },
  { name: 'Token', schema: tokenSchema },
  { name: 'TokenWithSecret', schema: tokenWithSecretSchema },
  { name: 'PortalSession', schema: portalSessionSchema },
  { name: 'PortalSessionWithUrl', schema: portalSessionWithUrlSchema },
  { name: 'Message', schema: messageSchema },
  { name: 'Conflict', schema: conflictSchema },
];

/** Every endpoint of the API under /v1, in the order the reference shows them. */
export function apiOperations(): ApiOperation[] {
  return [
    ...Object.values(eventOperations),
    ...Object.values(projectOperations),
    ...Object.values(routeOperations),
    ...Object.values(webhookOperations),
    ...Object.values(deliveryOperations),
    ...Object.values(replayJobOperations),
    ...Object.values(tokenOperations),
    ...Object.values(portalSessionOperations),
  ];
}
