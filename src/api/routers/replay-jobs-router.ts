import { Router } from 'express';
import { z } from 'zod';
import { replayFilterFields, replayWindowIsOrdered, type ReplayFilter } from '../../replays/replay-filter';
import type { ReplayJobLauncher } from '../../replays/replay-job-launcher';
import { ReplayJobStore, type ReplayJob } from '../../replays/replay-job-store';
import type { Database } from '../../db/create-database';
import { requireScope } from '../authenticate';
import { ConflictError } from '../../errors/conflict-error';
import { NotFoundError } from '../../errors/not-found-error';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { temporalWorkflowUrl, type TemporalLinks } from '../presenters/delivery-json';

export const MAX_REPLAY_RATE = 100;

export const bulkReplayRequestSchema = z
  .object({
    ...replayFilterFields,
    rate_per_second: z.number().int().min(1).max(MAX_REPLAY_RATE).default(10),
    dry_run: z.boolean().default(false),
  })
  .strict()
  .refine(replayWindowIsOrdered, { message: 'from must be before to.', path: ['from'] });

function replayJobJson(job: ReplayJob, links: TemporalLinks) {
  return {
    id: job.id,
    webhook_id: job.webhookId,
    status: job.status,
    total: job.total,
    processed: job.processed,
    replayed: job.replayed,
    skipped: Math.max(0, job.processed - job.replayed),
    rate_per_second: job.ratePerSecond,
    filter: job.filter,
    workflow_id: job.workflowId,
    temporal_ui_url: temporalWorkflowUrl(links, job.workflowId),
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}

/** Bulk recovery: replay a webhook's failed deliveries in a time window, as a durable, rate-limited job. */
export function replayJobsRouter(deps: { db: Database; links: TemporalLinks; replayJobs: ReplayJobLauncher }): Router {
  const router = Router();

  router.post('/webhooks/:id/replays', requireScope('manage'), async (req, res) => {
    const webhookId = parseResourceId(req.params.id, 'Webhook');
    const { rate_per_second, dry_run, ...filter } = parseInput(
      bulkReplayRequestSchema,
      req.body ?? {},
    ) as ReplayFilter & {
      rate_per_second: number;
      dry_run: boolean;
    };
    const teamId = res.locals.principal.teamId;
    if (dry_run) {
      const count = await deps.replayJobs.count(teamId, webhookId, filter);
      res.json({ data: { count, filter }, message: `${count} deliveries would be replayed.` });
      return;
    }
    const job = await deps.replayJobs.launch(teamId, webhookId, filter, rate_per_second);
    res
      .status(202)
      .json({ data: replayJobJson(job, deps.links), message: `Replay of ${job.total} deliveries started.` });
  });

  router.get('/replay-jobs/:id', requireScope('manage'), async (req, res) => {
    const job = await new ReplayJobStore(deps.db).findById(
      parseResourceId(req.params.id, 'Replay job'),
      res.locals.principal.teamId,
    );
    if (!job) throw new NotFoundError('Replay job');
    res.json(replayJobJson(job, deps.links));
  });

  router.post('/replay-jobs/:id/cancel', requireScope('manage'), async (req, res) => {
    const store = new ReplayJobStore(deps.db);
    const job = await store.findById(parseResourceId(req.params.id, 'Replay job'), res.locals.principal.teamId);
    if (!job) throw new NotFoundError('Replay job');
    if (job.status !== 'running') throw new ConflictError(`The replay job is already ${job.status}.`);
    await deps.replayJobs.cancel(job);
    await store.finish(job.id, 'cancelled');
    res.json({ data: replayJobJson((await store.findById(job.id))!, deps.links), message: 'Replay job cancelled.' });
  });

  return router;
}
