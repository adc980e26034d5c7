import type { DeliveryModeFilter } from './delivery-mode-filter';
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
  /** Whether its attempts carry `Authorization: Basic`; the credentials themselves stay in WebhookSecretStore. */
  hasBasicAuth: boolean;
  /** Null until a client sets it; `sandbox` receives no event (Tidehook's events are all live). */
  deliveryModeFilter: DeliveryModeFilter | null;
  lastCalledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
