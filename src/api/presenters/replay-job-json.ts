import type { z } from 'zod';
import type { ReplayFilter, ReplayJob } from '../../store/replay-job-store';
import type { replayFilterSchema, replayJobSchema } from '../schemas/replay-job-schemas';
import { temporalWorkflowUrl, type TemporalLinks } from './temporal-links';

export function replayFilterJson(filter: ReplayFilter) {
  return {
    statuses: filter.statuses,
    ...(filter.eventTypes && { event_types: filter.eventTypes as z.output<typeof replayFilterSchema>['event_types'] }),
    from: filter.from,
    to: filter.to,
    skip_already_replayed: filter.skipAlreadyReplayed,
  } satisfies z.output<typeof replayFilterSchema>;
}

export function replayJobJson(job: ReplayJob, links: TemporalLinks) {
  return {
    id: job.id,
    webhook_id: job.webhookId,
    status: job.status,
    total: job.total,
    processed: job.processed,
    replayed: job.replayed,
    skipped: Math.max(0, job.processed - job.replayed),
    rate_per_second: job.ratePerSecond,
    filter: replayFilterJson(job.filter),
    workflow_id: job.workflowId,
    temporal_ui_url: temporalWorkflowUrl(links, job.workflowId),
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
  } satisfies z.output<typeof replayJobSchema>;
}
