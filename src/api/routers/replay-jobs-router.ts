import { Router } from 'express';
import { NotFoundError } from '../../errors/not-found-error';
import type { ReplayJobLauncher } from '../../replays/replay-job-launcher';
import type { Stores } from '../../store/create-stores';
import type { ReplayFilter } from '../../store/replay-job-store';
import { replayJobOperations } from '../operations/replay-job-operations';
import { route } from '../operations/api-operation';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { replayFilterJson, replayJobJson } from '../presenters/replay-job-json';
import type { TemporalLinks } from '../presenters/temporal-links';
import { bulkReplayRequestSchema } from '../schemas/replay-job-schemas';

export interface ReplayJobsRouterDependencies {
  stores: Pick<Stores, 'replayJobs'>;
  links: TemporalLinks;
  replayJobs: ReplayJobLauncher;
}

/** Bulk recovery: replay a webhook's failed deliveries in a time window, as a durable, rate-limited job. */
export function replayJobsRouter(deps: ReplayJobsRouterDependencies): Router {
  const router = Router();

  route(router, replayJobOperations.startBulkReplay, async (req, res) => {
    const webhookId = parseResourceId(req.params.id, 'Webhook');
    const input = parseInput(bulkReplayRequestSchema, req.body ?? {});
    const filter: ReplayFilter = {
      statuses: input.statuses,
      ...(input.event_types && { eventTypes: input.event_types }),
      from: input.from,
      to: input.to,
      skipAlreadyReplayed: input.skip_already_replayed,
    };
    const teamId = res.locals.principal.teamId;
    if (input.dry_run) {
      const count = await deps.replayJobs.count(teamId, webhookId, filter);
      res.json({
        data: { count, filter: replayFilterJson(filter) },
        message: `${count} deliveries would be replayed.`,
      });
      return;
    }
    const job = await deps.replayJobs.launch(teamId, webhookId, filter, input.rate_per_second);
    res
      .status(202)
      .json({ data: replayJobJson(job, deps.links), message: `Replay of ${job.total} deliveries started.` });
  });

  route(router, replayJobOperations.showReplayJob, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Replay job');
    const job = await deps.stores.replayJobs.findById(id, res.locals.principal.teamId);
    if (!job) throw new NotFoundError('Replay job');
    res.json(replayJobJson(job, deps.links));
  });

  route(router, replayJobOperations.cancelReplayJob, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Replay job');
    const job = await deps.replayJobs.cancel(res.locals.principal.teamId, id);
    res.json({ data: replayJobJson(job, deps.links), message: 'Replay job cancelled.' });
  });

  return router;
}
