import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { bulkReplayWorkflow, BulkReplayWorkflowInput } from '../../workflows/bulk-replay-workflow';
import { ConflictError } from '../errors/conflict-error';
import { NotFoundError } from '../errors/not-found-error';
import type { Stores } from '../store/create-stores';
import type { ReplayFilter, ReplayJob } from '../store/replay-job-store';
import { replayJobWorkflowId } from './replay-job-workflow-id';

export interface ReplayJobLauncherDependencies {
  client: Client;
  taskQueue: string;
  stores: Pick<Stores, 'replayJobs' | 'replayCandidates' | 'webhooks'>;
}

/** Counts (dry run), launches and cancels bulk replays of a webhook's finished deliveries. */
export class ReplayJobLauncher {
  constructor(private readonly deps: ReplayJobLauncherDependencies) {}

  async count(teamId: string, webhookId: string, filter: ReplayFilter): Promise<number> {
    await this.assertWebhook(teamId, webhookId);
    return this.deps.stores.replayCandidates.count(webhookId, capAtNow(filter));
  }

  async launch(teamId: string, webhookId: string, filter: ReplayFilter, ratePerSecond: number): Promise<ReplayJob> {
    await this.assertWebhook(teamId, webhookId);
    const { replayJobs, replayCandidates } = this.deps.stores;
    // Deliveries created after the job starts (its own replays among them) are never part of it.
    const frozen = capAtNow(filter);
    const id = randomUUID();
    const workflowId = replayJobWorkflowId(id);
    const total = await replayCandidates.count(webhookId, frozen);
    await replayJobs.create({ id, teamId, webhookId, workflowId, filter: frozen, ratePerSecond, total });
    const input: BulkReplayWorkflowInput = { jobId: id, teamId, ratePerSecond };
    await this.deps.client.workflow.start<typeof bulkReplayWorkflow>('bulkReplayWorkflow', {
      taskQueue: this.deps.taskQueue,
      workflowId,
      args: [input],
      staticSummary: `bulk replay of webhook ${webhookId}`,
      staticDetails: `statuses ${frozen.statuses.join(', ')} from ${frozen.from} to ${frozen.to}, ${ratePerSecond}/s`,
    });
    return (await replayJobs.findById(id))!;
  }

  /** Stops a running job and answers it as it now stands; a job already ended is a conflict. */
  async cancel(teamId: string, jobId: string): Promise<ReplayJob> {
    const { replayJobs } = this.deps.stores;
    const job = await replayJobs.findById(jobId, teamId);
    if (!job) throw new NotFoundError('Replay job');
    if (job.status !== 'running') throw new ConflictError(`The replay job is already ${job.status}.`);
    await this.deps.client.workflow.getHandle(job.workflowId).cancel();
    await replayJobs.finish(job.id, 'cancelled');
    return (await replayJobs.findById(job.id))!;
  }

  private async assertWebhook(teamId: string, webhookId: string): Promise<void> {
    if (!(await this.deps.stores.webhooks.findById(teamId, webhookId))) throw new NotFoundError('Webhook');
  }
}

function capAtNow(filter: ReplayFilter): ReplayFilter {
  const now = new Date();
  return new Date(filter.to) > now ? { ...filter, to: now.toISOString() } : filter;
}
