import { Router } from 'express';
import type { ManualRetrier } from '../../deliveries/manual-retrier';
import { NotFoundError } from '../../errors/not-found-error';
import type { Stores } from '../../store/create-stores';
import { webhookOperations } from '../operations/webhook-operations';
import { route } from '../operations/api-operation';
import { toPageRequest } from '../page-request';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { attemptDetailJson, attemptSummaryJson } from '../presenters/attempt-json';
import { pageJson } from '../presenters/page-json';
import { ATTEMPT_SORT_COLUMNS, attemptListQuerySchema } from '../schemas/webhook-delivery-schemas';

export interface WebhookDeliveriesRouterDependencies {
  stores: Pick<Stores, 'webhooks' | 'attempts' | 'events'>;
  publicBaseUrl: string | undefined;
  manualRetrier: Pick<ManualRetrier, 'retry'>;
}

/**
 * A webhook's attempt history. Lettermint calls each attempt record a "delivery", so these paths keep that name;
 * our own deliveries (one event to one webhook) are under `/v1/deliveries`.
 */
export function webhookDeliveriesRouter(deps: WebhookDeliveriesRouterDependencies): Router {
  const router = Router();
  const { webhooks, attempts, events } = deps.stores;

  async function liveWebhookId(teamId: string, raw: unknown): Promise<string> {
    const webhook = await webhooks.findById(teamId, parseResourceId(raw, 'Webhook'));
    if (!webhook) throw new NotFoundError('Webhook');
    return webhook.id;
  }

  route(router, webhookOperations.listWebhookDeliveries, async (req, res) => {
    const { teamId } = res.locals.principal;
    const webhookId = await liveWebhookId(teamId, req.params.id);
    const { filter, ...params } = parseInput(attemptListQuerySchema, req.query);
    const page = await attempts.listPage(teamId, webhookId, filter, toPageRequest(params, ATTEMPT_SORT_COLUMNS));
    res.json(pageJson(req, deps.publicBaseUrl, params.sort, page, attemptSummaryJson, 'cursor'));
  });

  // Lettermint's path (and its SDKs) call the attempt record a "delivery"; in here it is the attempt it is.
  route(router, webhookOperations.showWebhookDelivery, async (req, res) => {
    const { teamId } = res.locals.principal;
    const webhookId = await liveWebhookId(teamId, req.params.id);
    const attemptId = parseResourceId(req.params.deliveryId, 'Delivery');
    const attempt = await attempts.findById(teamId, webhookId, attemptId);
    if (!attempt) throw new NotFoundError('Delivery');
    const event = await events.findById(attempt.eventId);
    if (!event) throw new NotFoundError('Delivery');
    res.json(attemptDetailJson(attempt, event.body));
  });

  route(router, webhookOperations.retryWebhookDelivery, async (req, res) => {
    const { teamId } = res.locals.principal;
    const webhookId = parseResourceId(req.params.id, 'Webhook');
    const attemptId = parseResourceId(req.params.deliveryId, 'Delivery');
    const { attempt, replayed } = await deps.manualRetrier.retry(teamId, webhookId, attemptId);
    res.status(202).json({
      message: replayed
        ? 'Webhook delivery replayed: it had failed for good, so it is sent again as a new delivery.'
        : 'Webhook delivery retry dispatched successfully. Check the deliveries endpoint for results.',
      delivery_id: attempt.id,
    });
  });

  return router;
}
