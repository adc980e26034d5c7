import { Router } from 'express';
import type { Database } from '../../db/create-database';
import type { DeliveryCanceller } from '../../deliveries/delivery-canceller';
import type { DeliveryReconciler } from '../../deliveries/delivery-reconciler';
import type { DeliveryReplayer } from '../../deliveries/delivery-replayer';
import { AttemptStore } from '../../store/attempt-store';
import { DeliveryStore, type Delivery } from '../../store/delivery-store';
import { EventStore } from '../../store/event-store';
import { requireScope } from '../authenticate';
import { ConflictError } from '../../errors/conflict-error';
import { NotFoundError } from '../../errors/not-found-error';
import { parseResourceId } from '../parse-resource-id';
import { deliveryJson, type TemporalLinks } from '../presenters/delivery-json';

export interface DeliveriesRouterDependencies {
  db: Database;
  links: TemporalLinks;
  maxAttempts: number;
  canceller: DeliveryCanceller;
  reconciler: DeliveryReconciler;
  replayer: DeliveryReplayer;
}

/** Our native delivery views and operations (SPEC §6): inspect, cancel, replay. */
export function deliveriesRouter(deps: DeliveriesRouterDependencies): Router {
  const router = Router();

  async function view(delivery: Delivery) {
    const [event, attempts] = await Promise.all([
      new EventStore(deps.db).findById(delivery.eventId),
      new AttemptStore(deps.db).listForDelivery(delivery.id),
    ]);
    if (!event) throw new NotFoundError('Delivery');
    return deliveryJson(delivery, event, attempts, deps.maxAttempts, deps.links);
  }

  async function find(teamId: string, rawId: unknown): Promise<Delivery> {
    const delivery = await new DeliveryStore(deps.db).findById(parseResourceId(rawId, 'Delivery'), teamId);
    if (!delivery) throw new NotFoundError('Delivery');
    return delivery;
  }

  router.get('/deliveries/:id', requireScope('manage'), async (req, res) => {
    // A pending delivery whose workflow was terminated in the Web UI is settled here, before it is shown.
    const delivery = await deps.reconciler.reconcile(await find(res.locals.principal.teamId, req.params.id));
    res.json(await view(delivery));
  });

  router.post('/deliveries/:id/cancel', requireScope('manage'), async (req, res) => {
    const delivery = await deps.reconciler.reconcile(await find(res.locals.principal.teamId, req.params.id));
    if (delivery.status !== 'pending') throw new ConflictError(`The delivery is already ${delivery.status}.`);
    await deps.canceller.cancel(delivery, 'cancelled via API');
    const current = (await new DeliveryStore(deps.db).findById(delivery.id))!;
    res.json({ data: await view(current), message: 'Delivery cancelled successfully.' });
  });

  router.post('/deliveries/:id/replay', requireScope('manage'), async (req, res) => {
    const original = await deps.reconciler.reconcile(await find(res.locals.principal.teamId, req.params.id));
    const replay = await deps.replayer.replay(res.locals.principal.teamId, original.id);
    res.status(202).json({ data: await view(replay), message: 'Delivery replay started.' });
  });

  return router;
}
