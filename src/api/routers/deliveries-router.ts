import { Router } from 'express';
import type { DeliveryCanceller } from '../../deliveries/delivery-canceller';
import type { DeliveryReconciler } from '../../deliveries/delivery-reconciler';
import type { DeliveryReplayer } from '../../deliveries/delivery-replayer';
import { NotFoundError } from '../../errors/not-found-error';
import type { Stores } from '../../store/create-stores';
import type { Delivery } from '../../store/delivery';
import { deliveryOperations } from '../operations/delivery-operations';
import { route } from '../operations/api-operation';
import { parseResourceId } from '../parse-resource-id';
import { deliveryJson } from '../presenters/delivery-json';
import type { TemporalLinks } from '../presenters/temporal-links';

export interface DeliveriesRouterDependencies {
  stores: Pick<Stores, 'deliveries' | 'events' | 'attempts'>;
  links: TemporalLinks;
  maxAttempts: number;
  canceller: DeliveryCanceller;
  reconciler: DeliveryReconciler;
  replayer: DeliveryReplayer;
}

/** Our native delivery views and operations: inspect, cancel, replay. */
export function deliveriesRouter(deps: DeliveriesRouterDependencies): Router {
  const router = Router();
  const { stores } = deps;

  /** The Temporal Web UI is the operator's: a portal session's answers carry no link to it. */
  async function view(delivery: Delivery, temporalReachable: boolean | null = null, portal = false) {
    const [event, attempts] = await Promise.all([
      stores.events.findById(delivery.eventId),
      stores.attempts.listForDelivery(delivery.id),
    ]);
    if (!event) throw new NotFoundError('Delivery');
    const links = portal ? { ...deps.links, uiUrl: undefined } : deps.links;
    return deliveryJson(delivery, event, attempts, deps.maxAttempts, links, temporalReachable);
  }

  /** The team's delivery, settled first if its workflow was terminated in the Web UI (when Temporal answers). */
  async function find(teamId: string, rawId: unknown) {
    const delivery = await stores.deliveries.findById(parseResourceId(rawId, 'Delivery'), teamId);
    if (!delivery) throw new NotFoundError('Delivery');
    return deps.reconciler.inspect(delivery);
  }

  route(router, deliveryOperations.showDelivery, async (req, res) => {
    const { delivery, temporalReachable } = await find(res.locals.principal.teamId, req.params.id);
    res.json(await view(delivery, temporalReachable, !!res.locals.principal.portal));
  });

  route(router, deliveryOperations.cancelDelivery, async (req, res) => {
    const { delivery } = await find(res.locals.principal.teamId, req.params.id);
    const cancelled = await deps.canceller.cancelPending(delivery, 'cancelled via API');
    res.json({
      data: await view(cancelled, null, !!res.locals.principal.portal),
      message: 'Delivery cancelled successfully.',
    });
  });

  route(router, deliveryOperations.replayDelivery, async (req, res) => {
    const { delivery: original } = await find(res.locals.principal.teamId, req.params.id);
    const replay = await deps.replayer.replay(res.locals.principal.teamId, original.id);
    res
      .status(202)
      .json({ data: await view(replay, null, !!res.locals.principal.portal), message: 'Delivery replay started.' });
  });

  return router;
}
