import type { Knex } from 'knex';
import { z } from 'zod';
import { EVENT_TYPES } from '../events/event-types';

/** Which of a webhook's deliveries a bulk replay takes: finished ones, by status, event type and creation time. */
export const replayFilterFields = {
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
};

export const replayWindowIsOrdered = (filter: { from: string; to: string }) =>
  new Date(filter.from) < new Date(filter.to);

export const replayFilterSchema = z
  .object(replayFilterFields)
  .strict()
  .refine(replayWindowIsOrdered, { message: 'from must be before to.', path: ['from'] });

export type ReplayFilter = z.infer<typeof replayFilterSchema>;

/**
 * Narrows a query over `deliveries as d` to the filter. Used for the dry-run count, the job's total and every
 * batch, so the three always agree.
 */
export function applyReplayFilter(
  query: Knex.QueryBuilder,
  webhookId: string,
  filter: ReplayFilter,
  jobId?: string,
): Knex.QueryBuilder {
  query
    .where('d.webhook_id', webhookId)
    .whereIn('d.status', filter.statuses)
    .where('d.created_at', '>=', new Date(filter.from))
    .where('d.created_at', '<', new Date(filter.to));
  if (filter.event_types) {
    query.whereIn('d.event_id', (sub) => sub.select('id').from('events').whereIn('event_type', filter.event_types!));
  }
  if (jobId) {
    // The job's own replays may fail and fall inside the window: they are never candidates of the same job.
    query.where((q) => q.whereNull('d.replay_job_id').orWhereNot('d.replay_job_id', jobId));
  }
  if (filter.skip_already_replayed) {
    query.whereNotExists((sub) =>
      sub
        .select(1)
        .from('deliveries as r')
        .whereRaw('r.replay_of = d.id')
        .whereIn('r.status', ['success', 'pending'])
        .modify((q) => {
          if (jobId) q.where((inner) => inner.whereNull('r.replay_job_id').orWhereNot('r.replay_job_id', jobId));
        }),
    );
  }
  return query;
}
