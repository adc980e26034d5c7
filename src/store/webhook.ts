import type { SignatureScheme } from '../signature/signature-scheme';

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
  /** Which headers sign its attempts. @default 'lettermint' */
  signatureScheme: SignatureScheme;
  lastCalledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
