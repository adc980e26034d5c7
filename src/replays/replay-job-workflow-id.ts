/** The workflow of a bulk replay job, found by the job's id. */
export function replayJobWorkflowId(jobId: string): string {
  return `replay-job:${jobId}`;
}
