// The Temporal floor's workflow: the least a workflow can be. Bundled for the floor's worker only.
import { proxySinks, type Sinks } from '@temporalio/workflow';
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
