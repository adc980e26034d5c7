import type { Database } from '../db/create-database';
import type { SecretCipher } from '../secrets/secret-cipher';
import { AttemptPlanStore } from './attempt-plan-store';
import { AttemptStore } from './attempt-store';
import { DashboardSessionStore } from './dashboard-session-store';
import { CancellationOutbox } from './cancellation-outbox';
import { DeliveryOutbox } from './delivery-outbox';
import { DeliveryStateStore } from './delivery-state-store';
import { DeliveryStore } from './delivery-store';
import { EventStore } from './event-store';
import { PortalSessionStore } from './portal-session-store';
import { ProjectStore } from './project-store';
import { ReplayCandidates } from './replay-candidates';
import { ReplayJobStore } from './replay-job-store';
import { RetentionStore } from './retention-store';
import { RouteStore } from './route-store';
import { TeamStore } from './team-store';
import { WebhookSecretStore } from './webhook-secret-store';
import { WebhookStore } from './webhook-store';

/** Every repository that needs no key, over one connection pool or one transaction. */
export interface StoresWithoutSecrets {
  attempts: AttemptStore;
  dashboardSessions: DashboardSessionStore;
  deliveries: DeliveryStore;
  deliveryState: DeliveryStateStore;
  outbox: DeliveryOutbox;
  cancellations: CancellationOutbox;
  events: EventStore;
  portalSessions: PortalSessionStore;
  projects: ProjectStore;
  replayCandidates: ReplayCandidates;
  replayJobs: ReplayJobStore;
  retention: RetentionStore;
  routes: RouteStore;
  teams: TeamStore;
  webhooks: WebhookStore;
  /** Runs `work` in one transaction, handing it the same stores bound to it; nested calls use a savepoint. */
  transaction<T>(work: (stores: StoresWithoutSecrets) => Promise<T>): Promise<T>;
}

/** Every repository, webhook secrets included. */
export interface Stores extends Omit<StoresWithoutSecrets, 'transaction'> {
  attemptPlans: AttemptPlanStore;
  webhookSecrets: WebhookSecretStore;
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
}

/**
 * The one place stores are built. Without the cipher there is no webhook secret store at all, so code that needs
 * a secret cannot compile against stores made without a key, rather than failing when a secret is first touched.
 */
export function createStores(db: Database): StoresWithoutSecrets;
export function createStores(db: Database, cipher: SecretCipher): Stores;
export function createStores(db: Database, cipher?: SecretCipher): Stores | StoresWithoutSecrets {
  const stores = {
    attempts: new AttemptStore(db),
    dashboardSessions: new DashboardSessionStore(db),
    portalSessions: new PortalSessionStore(db),
    deliveries: new DeliveryStore(db),
    deliveryState: new DeliveryStateStore(db),
    outbox: new DeliveryOutbox(db),
    cancellations: new CancellationOutbox(db),
    events: new EventStore(db),
    projects: new ProjectStore(db),
    replayCandidates: new ReplayCandidates(db),
    replayJobs: new ReplayJobStore(db),
    retention: new RetentionStore(db),
    routes: new RouteStore(db),
    teams: new TeamStore(db),
    webhooks: new WebhookStore(db),
  };
  if (!cipher) {
    return {
      ...stores,
      transaction: <T>(work: (tx: StoresWithoutSecrets) => Promise<T>) =>
        db.transaction((trx) => work(createStores(trx))),
    };
  }
  return {
    ...stores,
    attemptPlans: new AttemptPlanStore(db, cipher),
    webhookSecrets: new WebhookSecretStore(db, cipher),
    transaction: <T>(work: (tx: Stores) => Promise<T>) => db.transaction((trx) => work(createStores(trx, cipher))),
  };
}
