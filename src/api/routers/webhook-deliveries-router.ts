import { Router } from 'express';
import { AttemptStore, toAttempt, type AttemptRow } from '../../store/attempt-store';
import { EventStore } from '../../store/event-store';
import { WebhookStore } from '../../store/webhook-store';
import { requireScope } from '../authenticate';
import type { AppDependencies } from '../create-app';
import { cursorPageJson, fetchCursorPage } from '../cursor-page';
import { NotFoundError } from '../../errors/not-found-error';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { attemptDetailJson, attemptSummaryJson } from '../presenters/attempt-json';
import { attemptListQuerySchema } from '../schemas/webhook-delivery-schemas';

/**
 * A webhook's attempt history. Lettermint calls each attempt record a "delivery", so these paths keep that name;
 * our own deliveries (one event to one webhook) are under `/v1/deliveries`.
 */
export function webhookDeliveriesRouter(deps: Pick<AppDependencies, 'db' | 'publicBaseUrl'>): Router {
  const router = Router();
  const manage = requireScope('manage');
  const attempts = new AttemptStore(deps.db);

  async function liveWebhookId(teamId: string, raw: unknown): Promise<string> {
    const webhook = await new WebhookStore(deps.db).findById(teamId, parseResourceId(raw, 'Webhook'));
    if (!webhook) throw new NotFoundError('Webhook');
    return webhook.id;
  }

  router.get('/webhooks/:id/deliveries', manage, async (req, res) => {
    const { teamId } = res.locals.principal;
    const webhookId = await liveWebhookId(teamId, req.params.id);
    const { filter, ...params } = parseInput(attemptListQuerySchema, req.query);
    const page = await fetchCursorPage<AttemptRow>(
      deps.db,
      attempts.listQueryForWebhook(teamId, webhookId, filter),
      params,
      {
        createdAt: 'a.created_at',
        id: 'a.id',
      },
    );
    res.json(cursorPageJson(req, deps.publicBaseUrl, page, (row) => attemptSummaryJson(toAttempt(row))));
  });

  router.get('/webhooks/:id/deliveries/:deliveryId', manage, async (req, res) => {
    const { teamId } = res.locals.principal;
    const webhookId = await liveWebhookId(teamId, req.params.id);
    const attempt = await attempts.findById(teamId, webhookId, parseResourceId(req.params.deliveryId, 'Delivery'));
    if (!attempt) throw new NotFoundError('Delivery');
    const event = await new EventStore(deps.db).findById(attempt.eventId);
    if (!event) throw new NotFoundError('Delivery');
    res.json(attemptDetailJson(attempt, event.body));
  });

  return router;
}
