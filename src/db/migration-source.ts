import type { Knex } from 'knex';
import * as initialSchema from './migrations/0001-initial-schema';
import * as replays from './migrations/0010-replays';
import * as dropReplayJobError from './migrations/0011-drop-replay-job-error';
import * as dashboardSessions from './migrations/0020-dashboard-sessions';
import * as cancellationOutbox from './migrations/0021-cancellation-outbox';
import * as tokenRevocation from './migrations/0040-token-revocation';
import * as retention from './migrations/0041-retention';
import * as signatureScheme from './migrations/0060-signature-scheme';
import * as portalSessions from './migrations/0080-portal-sessions';
import * as webhookBasicAuth from './migrations/0090-webhook-basic-auth';

/**
 * Migrations are listed in code rather than discovered on disk, so the same list works from TypeScript sources,
 * from the compiled `dist/` and inside a bundle. Append new files here, in order; never edit a shipped one.
 */
const MIGRATIONS: ReadonlyArray<readonly [string, Knex.Migration]> = [
  ['0001-initial-schema', initialSchema],
  ['0010-replays', replays],
  ['0011-drop-replay-job-error', dropReplayJobError],
  ['0020-dashboard-sessions', dashboardSessions],
  ['0021-cancellation-outbox', cancellationOutbox],
  ['0040-token-revocation', tokenRevocation],
  ['0041-retention', retention],
  ['0060-signature-scheme', signatureScheme],
  ['0080-portal-sessions', portalSessions],
  ['0090-webhook-basic-auth', webhookBasicAuth],
];

export const migrationSource: Knex.MigrationSource<readonly [string, Knex.Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
