import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/create-database';
import { AttemptStore } from '../../store/attempt-store';
import { DeliveryStore } from '../../store/delivery-store';
import { EventStore } from '../../store/event-store';
import { NotFoundError } from '../http-errors';
import { requireScope } from '../authenticate';
import { parseInput } from '../parse-input';
import { deliveryJson, type TemporalLinks } from '../presenters/delivery-json';

const idParam = z.object({ id: z.uuid({ message: 'The delivery id must be a UUID.' }) });

/** Our native delivery views (SPEC §6). */
export function deliveriesRouter(deps: { db: Database; links: TemporalLinks; maxAttempts: number }): Router {
  const router = Router();
  router.get('/deliveries/:id', requireScope('manage'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const delivery = await new DeliveryStore(deps.db).findById(id, res.locals.principal.teamId);
    if (!delivery) throw new NotFoundError('Delivery');
    const [event, attempts] = await Promise.all([
      new EventStore(deps.db).findById(delivery.eventId),
      new AttemptStore(deps.db).listForDelivery(delivery.id),
    ]);
    if (!event) throw new NotFoundError('Delivery');
    res.json(deliveryJson(delivery, event, attempts, deps.maxAttempts, deps.links));
  });

  return router;
}
