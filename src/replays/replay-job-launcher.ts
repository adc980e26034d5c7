import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { BulkReplayWorkflowInput } from '../../workflows/bulk-replay-workflow';
import type { Database } from '../db/create-database';
import { NotFoundError } from '../errors/not-found-error';
import { applyReplayFilter, type ReplayFilter } from './replay-filter';
import { ReplayJobStore, type ReplayJob } from './replay-job-store';

export function replayJobWorkflowId(jobId: string): string {
  return `replay-job:${jobId}`;
}

/** Counts (dry run) and launches bulk replays of a webhook's finished deliveries. */
export class ReplayJobLauncher {
  constructor(
    private readonly db: Database,
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async count(teamId: string, webhookId: string, filter: ReplayFilter): Promise<number> {
    await this.assertWebhook(teamId, webhookId);
    return this.countCandidates(webhookId, capAtNow(filter));
  }

  async launch(teamId: string, webhookId: string, filter: ReplayFilter, ratePerSecond: number): Promise<ReplayJob> {
    await this.assertWebhook(teamId, webhookId);
    // Deliveries created after the job starts (its own replays among them) are never part of it.
    const frozen = capAtNow(filter);
    const id = randomUUID();
    const workflowId = replayJobWorkflowId(id);
    const jobs = new ReplayJobStore(this.db);
    await jobs.create({
      id,
      teamId,
      webhookId,
      workflowId,
      filter: frozen,
      ratePerSecond,
      total: await this.countCandidates(webhookId, frozen),
    });
    const input: BulkReplayWorkflowInput = { jobId: id, teamId, ratePerSecond };
    await this.client.workflow.start('bulkReplayWorkflow', {
      taskQueue: this.taskQueue,
      workflowId,
      args: [input],
      staticSummary: `bulk replay of webhook ${webhookId}`,
      staticDetails: `statuses ${frozen.statuses.join(', ')} from ${frozen.from} to ${frozen.to}, ${ratePerSecond}/s`,
    });
    return (await jobs.findById(id))!;
  }

  async cancel(job: ReplayJob): Promise<void> {
    await this.client.workflow.getHandle(job.workflowId).cancel();
  }

  private async countCandidates(webhookId: string, filter: ReplayFilter): Promise<number> {
    const [row] = await applyReplayFilter(this.db('deliveries as d'), webhookId, filter).count<{ n: string }[]>({
      n: '*',
    });
    return Number(row!.n);
  }

  private async assertWebhook(teamId: string, webhookId: string): Promise<void> {
    const webhook = await this.db('webhooks')
      .where({ id: webhookId, team_id: teamId })
      .whereNull('deleted_at')
      .first('id');
    if (!webhook) throw new NotFoundError('Webhook');
  }
}

function capAtNow(filter: ReplayFilter): ReplayFilter {
  const now = new Date();
  return new Date(filter.to) > now ? { ...filter, to: now.toISOString() } : filter;
}
