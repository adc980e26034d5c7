// The worker bundles this file: it must export every workflow and import nothing with side effects.
export { webhookDeliveryWorkflow } from './webhook-delivery-workflow';
export { bulkReplayWorkflow } from './bulk-replay-workflow';
// Frozen: deliveries started before lanes run on it until they end (see the file).
export { deliveryWorkflow } from './legacy/delivery-workflow-v1';
