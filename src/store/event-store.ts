import type { Database } from '../db/create-database';

/** An event as stored: `body` is the exact JSON text every attempt of every delivery sends. */
export interface StoredEvent {
  id: string;
  teamId: string;
  routeId: string;
  envelopeId: string;
  eventType: string;
  body: string;
  occurredAt: Date;
  createdAt: Date;
}

interface EventRow {
  id: string;
  team_id: string;
  route_id: string;
  envelope_id: string;
  event_type: string;
  body: string;
  occurred_at: Date;
  created_at: Date;
}

export class EventStore {
  constructor(private readonly db: Database) {}

  /** Inserts the event unless its envelope id was already seen on the route; answers which one won. */
  async insertOnce(event: Omit<StoredEvent, 'createdAt'>): Promise<{ event: StoredEvent; created: boolean }> {
    const [inserted] = await this.db<EventRow>('events')
      .insert({
        id: event.id,
        team_id: event.teamId,
        route_id: event.routeId,
        envelope_id: event.envelopeId,
        event_type: event.eventType,
        body: event.body,
        occurred_at: event.occurredAt,
      })
      .onConflict(['route_id', 'envelope_id'])
      .ignore()
      .returning('*');
    if (inserted) return { event: toEvent(inserted), created: true };
    const existing = await this.db<EventRow>('events')
      .where({ route_id: event.routeId, envelope_id: event.envelopeId })
      .first();
    if (!existing) throw new Error(`event ${event.envelopeId} vanished during an idempotent insert`);
    return { event: toEvent(existing), created: false };
  }

  async findById(id: string): Promise<StoredEvent | undefined> {
    const row = await this.db<EventRow>('events').where({ id }).first();
    return row && toEvent(row);
  }
}

function toEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    teamId: row.team_id,
    routeId: row.route_id,
    envelopeId: row.envelope_id,
    eventType: row.event_type,
    body: row.body,
    occurredAt: row.occurred_at,
    createdAt: row.created_at,
  };
}
