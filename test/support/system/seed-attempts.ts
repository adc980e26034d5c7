import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/db/create-database';

const STATUSES = ['success', 'server_error', 'client_error'] as const;

/**
 * `count` attempt records written straight to Postgres: ten per delivery, the first 80 of `message.delivered`,
 * the rest `message.sent`. Three rows share each timestamp and timestamps are 1 µs apart, so a cursor that lost
 * the ties or the microseconds would skip or repeat rows. Answers the ids of all the webhook's attempts, newest first.
 */
export async function seedAttempts(
  db: Database,
  tenant: { teamId: string; routeId: string },
  webhookId: string,
  count: number,
  base = '2026-01-01T00:00:00Z',
): Promise<string[]> {
  const events: Record<string, string> = {};
  for (const type of ['message.delivered', 'message.sent']) {
    const id = randomUUID();
    const envelope = { id: randomUUID(), event: type, timestamp: base, data: { n: 1 } };
    await db('events').insert({
      id,
      team_id: tenant.teamId,
      route_id: tenant.routeId,
      envelope_id: envelope.id,
      event_type: type,
      body: JSON.stringify(envelope),
      occurred_at: base,
    });
    events[type] = id;
  }
  const rows: Array<Record<string, unknown>> = [];
  for (let d = 0; d * 10 < count; d++) {
    const eventType = d * 10 < 80 ? 'message.delivered' : 'message.sent';
    const deliveryId = randomUUID();
    await db('deliveries').insert({
      id: deliveryId,
      team_id: tenant.teamId,
      event_id: events[eventType],
      webhook_id: webhookId,
      route_id: tenant.routeId,
      workflow_id: `seed:${deliveryId}`,
      status: 'failed',
      workflow_started_at: base,
    });
    for (let n = 1; n <= 10 && rows.length < count; n++) {
      const i: number = rows.length;
      rows.push({
        id: randomUUID(),
        team_id: tenant.teamId,
        delivery_id: deliveryId,
        webhook_id: webhookId,
        event_id: events[eventType],
        event_type: eventType,
        attempt_number: n,
        status: STATUSES[i % 3],
        http_status_code: [200, 500, 404][i % 3],
        duration_ms: 5,
        created_at: db.raw(`?::timestamptz + make_interval(secs => ?)`, [base, Math.floor(i / 3) / 1e6]),
      });
    }
  }
  await db('attempts').insert(rows);
  const ordered: Array<{ id: string }> = await db('attempts')
    .where({ webhook_id: webhookId })
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .select('id');
  return ordered.map((row) => row.id);
}
