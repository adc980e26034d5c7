/** A webhook as the rest of the code sees it. Its secrets are in WebhookSecretStore, never here. */
export interface Webhook {
  id: string;
  teamId: string;
  routeId: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  includeMachineEvents: boolean;
  lastCalledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
