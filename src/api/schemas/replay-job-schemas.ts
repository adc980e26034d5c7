import { z } from 'zod';
import { EVENT_TYPES } from '../../events/event-types';
import { timestampField } from './common-fields';

export const MAX_REPLAY_RATE = 100;

const replayWindowIsOrdered = (filter: { from: string; to: string }) => new Date(filter.from) < new Date(filter.to);

/** `POST /v1/webhooks/{id}/replays`: which finished deliveries to replay, how fast, or only how many (dry run). */
export const bulkReplayRequestSchema = z
  .object({
    statuses: z
      .array(z.enum(['failed', 'cancelled']))
      .min(1)
      .default(['failed']),
    event_types: z
      .array(z.enum(EVENT_TYPES, { message: 'Each event type must be a known event type.' }))
      .min(1)
      .optional(),
    from: z.iso.datetime({ offset: true, message: 'from must be an ISO-8601 date-time.' }),
    to: z.iso.datetime({ offset: true, message: 'to must be an ISO-8601 date-time.' }),
    /** Leave out deliveries that already have a replay that succeeded or is still under way. @default true */
    skip_already_replayed: z.boolean().default(true),
    rate_per_second: z.number().int().min(1).max(MAX_REPLAY_RATE).default(10),
    dry_run: z.boolean().default(false),
  })
  .strict()
  .refine(replayWindowIsOrdered, { message: 'from must be before to.', path: ['from'] });

/** The filter a bulk replay ran with, as stored (defaults filled in). */
export const replayFilterSchema = z.object({
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
  status: z.enum(['running', 'completed', 'cancelled']),
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
