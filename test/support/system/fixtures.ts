import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/db/create-database';
import { deliveryWorkflowId } from '../../../src/deliveries/delivery-workflow-id';
import type { BasicAuthCredentials } from '../../../src/secrets/basic-auth-credentials';
import { generateWebhookSecret } from '../../../src/signature/sign-payload';
import { createStores } from '../../../src/store/create-stores';
import type { Webhook } from '../../../src/store/webhook';
import { TEST_SECRET_CIPHER } from './test-secret-cipher';

/** A team with a full-rights token (`manage` and `trigger`), a project and a route: what most tests start from. */
export interface Tenant {
  teamId: string;
  token: string;
  projectId: string;
  routeId: string;
}

export async function createTenant(db: Database): Promise<Tenant> {
  const { teams } = createStores(db);
  const team = await teams.createTeam(`team ${randomUUID().slice(0, 8)}`);
  const token = await teams.createToken(team.id, 'test', ['manage', 'trigger']);
  const projectId = randomUUID();
  await db('projects').insert({ id: projectId, team_id: team.id, name: 'Project' });
  const routeId = await createRoute(db, team.id, projectId);
  return { teamId: team.id, token, projectId, routeId };
}

export async function createRoute(db: Database, teamId: string, projectId: string): Promise<string> {
  const id = randomUUID();
  await db('routes').insert({
    id,
    team_id: teamId,
    project_id: projectId,
    slug: `route-${id.slice(0, 8)}`,
    name: 'Route',
    route_type: 'transactional',
  });
  return id;
}

export async function createWebhookRow(
  db: Database,
  input: {
    teamId: string;
    routeId: string;
    url: string;
    events?: string[];
    enabled?: boolean;
    includeMachineEvents?: boolean;
    secret?: string;
    basicAuth?: BasicAuthCredentials;
  },
): Promise<Webhook & { secret: string }> {
  const secret = input.secret ?? generateWebhookSecret();
  const webhook = await createStores(db, TEST_SECRET_CIPHER).webhookSecrets.createOnLiveRoute({
    teamId: input.teamId,
    routeId: input.routeId,
    name: 'Test webhook',
    url: input.url,
    events: input.events ?? ['message.delivered'],
    enabled: input.enabled ?? true,
    includeMachineEvents: input.includeMachineEvents ?? false,
    basicAuth: input.basicAuth ?? null,
    secret,
  });
  if (!webhook) throw new Error(`route ${input.routeId} is not a live route of team ${input.teamId}`);
  return { ...webhook, secret };
}

/**
 * An event and one pending delivery of it to a webhook, committed as the API commits them, with no workflow
 * started: for tests that run the delivery's steps themselves.
 */
export async function createPendingDelivery(
  db: Database,
  input: { teamId: string; routeId: string; webhookId: string; eventType?: string; data?: unknown },
): Promise<{ eventId: string; envelopeId: string; deliveryId: string; workflowId: string; body: string }> {
  const eventId = randomUUID();
  const deliveryId = randomUUID();
  const envelopeId = `evt-${deliveryId}`;
  const eventType = input.eventType ?? 'message.delivered';
  const body = JSON.stringify({
    id: envelopeId,
    event: eventType,
    timestamp: '2026-01-02T03:04:05.000Z',
    data: input.data ?? {},
  });
  await db('events').insert({
    id: eventId,
    team_id: input.teamId,
    route_id: input.routeId,
    envelope_id: envelopeId,
    event_type: eventType,
    body,
    occurred_at: '2026-01-02T03:04:05.000Z',
  });
  const workflowId = deliveryWorkflowId(eventType, deliveryId);
  await db('deliveries').insert({
    id: deliveryId,
    team_id: input.teamId,
    event_id: eventId,
    webhook_id: input.webhookId,
    route_id: input.routeId,
    workflow_id: workflowId,
  });
  return { eventId, envelopeId, deliveryId, workflowId, body };
}

/** A webhook's current secret in clear, read as only a test may: production code never reads one back. */
export async function readWebhookSecret(db: Database, teamId: string, webhookId: string): Promise<string | undefined> {
  const row = await db('webhooks').where({ id: webhookId, team_id: teamId }).whereNull('deleted_at').first('secret');
  return row && TEST_SECRET_CIPHER.decrypt(row.secret);
}
