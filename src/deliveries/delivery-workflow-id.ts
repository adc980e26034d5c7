/** Readable in the Web UI's list, unique through the delivery id. */
export function deliveryWorkflowId(eventType: string, deliveryId: string): string {
  return `delivery:${eventType}:${deliveryId}`;
}
