import { z } from 'zod';
import { EVENT_TYPES } from '../../events/event-types';
import { timestampField } from './common-fields';

/** The filter a bulk replay ran with, as stored (defaults filled in). */
const replayFilterSchema = z.object({
  statuses: z.array(z.enum(['failed', 'cancelled'])),
  event_types: z.array(z.enum(EVENT_TYPES)).optional(),
  from: z.string(),
  to: z.string(),
  skip_already_replayed: z.boolean(),
});

/** A bulk replay of a webhook's finished deliveries: a durable, rate-limited workflow job. */
export const replayJobSchema = z.object({
  id: z.uuid(),
  webhook_id: z.uuid(),
  status: z.enum(['running', 'completed', 'cancelled', 'failed']),
  total: z.number().int(),
  processed: z.number().int(),
  replayed: z.number().int(),
  skipped: z.number().int(),
  rate_per_second: z.number().int(),
  filter: replayFilterSchema,
  workflow_id: z.string(),
  temporal_ui_url: z.string().nullable(),
  created_at: timestampField,
  updated_at: timestampField,
  finished_at: timestampField.nullable(),
});

export const replayJobWrittenSchema = z.object({ data: replayJobSchema, message: z.string() });

/** `dry_run: true`: how many deliveries the filter takes, and nothing started. */
export const replayDryRunSchema = z.object({
  data: z.object({ count: z.number().int(), filter: replayFilterSchema }),
  message: z.string(),
});
