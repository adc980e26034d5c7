// The Temporal floor's workflow: the least a workflow can be. Bundled for the floor's worker only.
import { proxyLocalActivities, proxySinks, type Sinks } from '@temporalio/workflow';
import type { DeliveryWorkflowInput } from '../../workflows/delivery-workflow-input';

/** How the floor's workflows say they ran, without adding anything to their history. */
export interface FloorSinks extends Sinks {
  floor: { done(deliveryId: string): void };
}

const { floor } = proxySinks<FloorSinks>();

/**
 * Takes a delivery's input and ends at once: one workflow task, nothing else. It tells the benchmark when it ran
 * through a sink, which adds nothing to its history.
 */
export async function floorWorkflow(input: DeliveryWorkflowInput): Promise<{ status: 'success'; attempts: number }> {
  floor.done(input.deliveryId);
  return { status: 'success', attempts: 0 };
}

/** What the floor's local activity answers: an attempt's outcome in its least form. */
export interface FloorAttemptResult {
  status: 'success';
  httpStatusCode: number;
}

/** The floor's activities: an attempt that does nothing, so only the workflow's shape is measured. */
export interface FloorActivities {
  floorAttempt(deliveryId: string): Promise<FloorAttemptResult>;
}

const { floorAttempt } = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '30s' });

/**
 * A delivery's shape without its work: one local activity that does nothing, then the end, in the same single
 * workflow task a first attempt that succeeds takes. Set against `floorWorkflow`, it prices the shape itself.
 */
export async function floorWithLocalActivityWorkflow(
  input: DeliveryWorkflowInput,
): Promise<{ status: 'success'; attempts: number }> {
  await floorAttempt(input.deliveryId);
  floor.done(input.deliveryId);
  return { status: 'success', attempts: 1 };
}
