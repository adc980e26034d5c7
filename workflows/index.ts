// The worker bundles this file: it must export every workflow and import nothing with side effects.
export { deliveryWorkflow } from './delivery-workflow';
export { bulkReplayWorkflow } from './bulk-replay-workflow';
