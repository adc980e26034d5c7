import { randomUUID } from 'node:crypto';
import type { AttemptResult } from '../../activities/attempt-result';
import type { Knex } from 'knex';
import type { Database } from '../db/create-database';

export type AttemptRecordStatus = 'pending' | AttemptResult['status'];

/** One signed POST of a delivery (Lettermint's API calls this a "delivery"). */
export interface AttemptRecord {
  id: string;
  teamId: string;
  deliveryId: string;
  webhookId: string;
  eventId: string;
  /** The envelope `id` receivers de-duplicate on. */
  envelopeId: string;
  eventType: string;
  attemptNumber: number;
  status: AttemptRecordStatus;
  httpStatusCode: number | null;
  durationMs: number | null;
  requestHeaders: Record<string, string> | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  errorMessage: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
}

/** What a webhook's attempt history can be narrowed to. */
export interface AttemptFilters {
  status?: AttemptRecordStatus;
  eventType?: string;
  /** `created_at >=` */
  createdFrom?: Date;
  /** `created_at <=` */
  createdUntil?: Date;
  /** `created_at <` (the end of a whole day given as a date) */
  createdBefore?: Date;
}

export interface AttemptOwner {
  deliveryId: string;
  teamId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
}

export interface AttemptRow {
  id: string;
  team_id: string;
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  envelope_id: string;
  event_type: string;
  attempt_number: number;
  status: AttemptRecordStatus;
  http_status_code: number | null;
  duration_ms: number | null;
  request_headers: Record<string, string> | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  error_message: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
}

export class AttemptStore {
  constructor(private readonly db: Database) {}

  /**
   * The pending record of attempt n, created once: a retried activity, or an API that created it in advance
   * (test deliveries answer with its id at once), gets the same row back.
   */
  async begin(owner: AttemptOwner, attemptNumber: number, id: string = randomUUID()): Promise<AttemptRecord> {
    const [row] = await this.db<AttemptRow>('attempts')
      .insert({
        id,
        team_id: owner.teamId,
        delivery_id: owner.deliveryId,
        webhook_id: owner.webhookId,
        event_id: owner.eventId,
        event_type: owner.eventType,
        attempt_number: attemptNumber,
      })
      .onConflict(['delivery_id', 'attempt_number'])
      // A no-op update so that RETURNING yields the row that was already there.
      .merge({ attempt_number: attemptNumber })
      .returning('id');
    return (await this.selectWithEnvelope()
      .where('a.id', row!.id)
      .first()
      .then((r) => r && toAttempt(r)))!;
  }

  /**
   * Writes attempt n's outcome, creating the record or completing the one opened in advance; idempotent, so a
   * write retried after a database outage lands once. Returns the record's id.
   */
  async record(
    owner: AttemptOwner,
    attemptNumber: number,
    result: AttemptResult,
    id: string = randomUUID(),
  ): Promise<string> {
    const outcome = {
      status: result.status,
      http_status_code: result.httpStatusCode,
      duration_ms: result.durationMs,
      request_headers: JSON.stringify(result.requestHeaders),
      response_headers: JSON.stringify(result.responseHeaders),
      response_body: result.responseBody === null ? null : result.responseBody.replaceAll('\u0000', '\uFFFD'),
      error_message: result.errorMessage,
      started_at: result.startedAt,
      finished_at: result.finishedAt,
    };
    const [row] = await this.db('attempts')
      .insert({
        id,
        team_id: owner.teamId,
        delivery_id: owner.deliveryId,
        webhook_id: owner.webhookId,
        event_id: owner.eventId,
        event_type: owner.eventType,
        attempt_number: attemptNumber,
        ...outcome,
      })
      .onConflict(['delivery_id', 'attempt_number'])
      .merge(outcome)
      .returning('id');
    return (row as { id: string }).id;
  }

  /** Attempts that were begun but never sent (the delivery was cancelled in between) leave no trace. */
  async discardUnsent(deliveryId: string): Promise<void> {
    await this.db('attempts').where({ delivery_id: deliveryId, status: 'pending' }).whereNull('started_at').delete();
  }

  async listForDelivery(deliveryId: string): Promise<AttemptRecord[]> {
    const rows = await this.selectWithEnvelope().where('a.delivery_id', deliveryId).orderBy('a.attempt_number');
    return rows.map(toAttempt);
  }

  async findById(teamId: string, webhookId: string, id: string): Promise<AttemptRecord | undefined> {
    const row = await this.selectWithEnvelope()
      .where('a.id', id)
      .andWhere('a.team_id', teamId)
      .andWhere('a.webhook_id', webhookId)
      .first();
    return row && toAttempt(row);
  }

  /** A webhook's attempts matching the filters, for a cursor page over `a.created_at`, `a.id`. */
  listQueryForWebhook(
    teamId: string,
    webhookId: string,
    filters: AttemptFilters,
  ): Knex.QueryBuilder<AttemptRow, AttemptRow[]> {
    const query = this.selectWithEnvelope().where('a.team_id', teamId).andWhere('a.webhook_id', webhookId);
    if (filters.status !== undefined) query.andWhere('a.status', filters.status);
    if (filters.eventType !== undefined) query.andWhere('a.event_type', filters.eventType);
    if (filters.createdFrom !== undefined) query.andWhere('a.created_at', '>=', filters.createdFrom);
    if (filters.createdUntil !== undefined) query.andWhere('a.created_at', '<=', filters.createdUntil);
    if (filters.createdBefore !== undefined) query.andWhere('a.created_at', '<', filters.createdBefore);
    return query;
  }

  /** Attempt rows with their event's envelope id, which the API shows as `event_id`. */
  selectWithEnvelope(): Knex.QueryBuilder<AttemptRow, AttemptRow[]> {
    return this.db('attempts as a')
      .join('events as e', 'e.id', 'a.event_id')
      .select<AttemptRow[]>('a.*', 'e.envelope_id');
  }
}

export function toAttempt(row: AttemptRow): AttemptRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    deliveryId: row.delivery_id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    envelopeId: row.envelope_id,
    eventType: row.event_type,
    attemptNumber: row.attempt_number,
    status: row.status,
    httpStatusCode: row.http_status_code,
    durationMs: row.duration_ms,
    requestHeaders: row.request_headers,
    responseHeaders: row.response_headers,
    responseBody: row.response_body,
    errorMessage: row.error_message,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    createdAt: row.created_at,
  };
}
