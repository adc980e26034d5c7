import { z } from 'zod';
import { DELIVERY_STATUSES } from '../../../workflows/delivery-status';
import { EVENT_TYPES } from '../../events/event-types';
import { dataWithMessage, timestampField } from './common-fields';
import { attemptSummarySchema } from './webhook-delivery-schemas';

/** Our native view of a delivery (one event to one webhook), beyond Lettermint's API. */
export const deliverySchema = z.object({
  id: z.uuid(),
  event_id: z.string(),
  event_type: z.enum(EVENT_TYPES),
  webhook_id: z.uuid(),
  route_id: z.uuid(),
  status: z.enum(DELIVERY_STATUSES),
  status_reason: z.string().nullable(),
  attempts_count: z.number().int(),
  max_attempts: z.number().int(),
  last_attempt_status: z.string().nullable(),
  last_attempt_at: timestampField.nullable(),
  next_attempt_at: timestampField.nullable(),
  replay_of: z.uuid().nullable(),
  workflow_id: z.string(),
  temporal_ui_url: z.string().nullable(),
  temporal_reachable: z.boolean().nullable().meta({
    description:
      'Whether Temporal was asked about this pending delivery just now: false when it did not answer in time (the view is then Postgres alone), null when there was nothing to ask.',
  }),
  created_at: timestampField,
  finished_at: timestampField.nullable(),
  attempts: z.array(attemptSummarySchema),
});

/** The answer of cancel (200) and replay (202, the new delivery). */
export const deliveryWrittenSchema = dataWithMessage(deliverySchema);
