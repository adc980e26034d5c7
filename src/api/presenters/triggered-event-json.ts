import type { z } from 'zod';
import type { TriggeredEvent } from '../../events/event-trigger';
import type { triggeredEventSchema } from '../schemas/event-schemas';
import { deliveryRefJson } from './delivery-json';

/** What a trigger answers per event: the envelope id and the deliveries it made (or had made before). */
export function triggeredEventJson(result: TriggeredEvent) {
  return {
    id: result.id,
    route_id: result.routeId,
    event: result.event as z.output<typeof triggeredEventSchema>['event'],
    timestamp: result.timestamp,
    duplicate: !result.created,
    deliveries: result.deliveries.map(deliveryRefJson),
  } satisfies z.output<typeof triggeredEventSchema>;
}
