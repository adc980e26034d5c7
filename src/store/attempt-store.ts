import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AttemptResult } from '../../workflows/attempt-result';
import type { DeliveryStatus } from '../../workflows/delivery-status';
import type { Database } from '../db/create-database';
import { toAttempt, type AttemptRecord, type AttemptRecordStatus, type AttemptRow } from './attempt-record';
import { fetchKeysetPage, type KeysetPage, type PageRequest } from './keyset-page';

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

/** The delivery an attempt belongs to, as every attempt record repeats it. */
export interface AttemptContext {
  deliveryId: string;
  teamId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
}

export class AttemptStore {
  constructor(private readonly db: Database) {}

  /**
   * The pending record of attempt n, created once: a retried activity, or an API that created it in advance
   * (test deliveries answer with its id at once), gets the same row back.
   */
  async begin(context: AttemptContext, attemptNumber: number, id: string = randomUUID()): Promise<AttemptRecord> {
    const [row] = await this.db<AttemptRow>('attempts')
      .insert({
        id,
        team_id: context.teamId,
        delivery_id: context.deliveryId,
        webhook_id: context.webhookId,
        event_id: context.eventId,
        event_type: context.eventType,
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
   * The pending record of the attempt a manual retry started (created once, like `begin`), with its delivery's next
   * attempt marked due now: the record is readable at once, and the earlier attempt's `next_retry_at` turns null.
   */
  async beginManualRetry(context: AttemptContext, attemptNumber: number): Promise<AttemptRecord> {
    return this.db.transaction(async (tx) => {
      await tx('deliveries')
        .where({ id: context.deliveryId, status: 'pending' })
        .andWhere('attempts_count', '<', attemptNumber)
        .update({ next_attempt_at: tx.fn.now(), updated_at: tx.fn.now() });
      return new AttemptStore(tx).begin(context, attemptNumber);
    });
  }

  /**
   * Writes attempt n's outcome with what it means for its delivery and webhook, in one statement (so one round trip
   * and atomic). Idempotent and monotonic, so a write retried after an outage, or a late write of a duplicate
   * run, never moves anything back: an attempt record that already has an outcome keeps it, a delivery that ended
   * `success` or `failed` stays so, and an older attempt never overwrites a newer one's effect on the delivery.
   * `last_called_at` moves forward at most once a second, so bursts to one webhook do not queue on its row.
   */
  async recordOutcome(input: {
    context: AttemptContext;
    attemptNumber: number;
    result: AttemptResult;
    delivery: { status: DeliveryStatus; nextAttemptAt: Date | null };
  }): Promise<void> {
    const { context, attemptNumber, result, delivery } = input;
    const responseBody = result.responseBody === null ? null : result.responseBody.replaceAll('\u0000', '\uFFFD');
    await this.db.raw(
      `WITH attempt AS (
         INSERT INTO attempts (id, team_id, delivery_id, webhook_id, event_id, event_type, attempt_number, status,
                               http_status_code, duration_ms, request_headers, response_headers, response_body,
                               error_message, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)
         ON CONFLICT (delivery_id, attempt_number) DO UPDATE SET
           status = EXCLUDED.status, http_status_code = EXCLUDED.http_status_code,
           duration_ms = EXCLUDED.duration_ms, request_headers = EXCLUDED.request_headers,
           response_headers = EXCLUDED.response_headers, response_body = EXCLUDED.response_body,
           error_message = EXCLUDED.error_message, started_at = EXCLUDED.started_at,
           finished_at = EXCLUDED.finished_at
         WHERE attempts.status = 'pending'
       ), delivery AS (
         UPDATE deliveries SET
           attempts_count = GREATEST(attempts_count, ?),
           last_attempt_status = ?,
           last_attempt_at = ?,
           -- A cancel that arrived while this attempt was in flight stands, unless the attempt ended the delivery
           -- anyway (delivered, or the last attempt failed): then that final truth is what the customer sees.
           status = CASE WHEN status = 'cancelled' AND ?::text = 'pending' THEN status ELSE ?::text END,
           status_reason = CASE WHEN status = 'cancelled' AND ?::text <> 'pending' THEN NULL ELSE status_reason END,
           next_attempt_at = CASE WHEN status = 'cancelled' THEN NULL ELSE ?::timestamptz END,
           finished_at = CASE WHEN ?::text <> 'pending' THEN COALESCE(finished_at, now())
                              WHEN status = 'cancelled' THEN finished_at END,
           updated_at = now()
         WHERE id = ? AND status IN ('pending', 'cancelled') AND attempts_count <= ?
       )
       UPDATE webhooks SET last_called_at = ?::timestamptz
        WHERE id = ? AND (last_called_at IS NULL OR last_called_at < ?::timestamptz - interval '1 second')`,
      [
        randomUUID(),
        context.teamId,
        context.deliveryId,
        context.webhookId,
        context.eventId,
        context.eventType,
        attemptNumber,
        result.status,
        result.httpStatusCode,
        result.durationMs,
        JSON.stringify(result.requestHeaders),
        JSON.stringify(result.responseHeaders),
        responseBody,
        result.errorMessage,
        result.startedAt,
        result.finishedAt,
        attemptNumber,
        result.status,
        result.finishedAt,
        delivery.status,
        delivery.status,
        delivery.status,
        delivery.nextAttemptAt,
        delivery.status,
        context.deliveryId,
        attemptNumber,
        result.finishedAt,
        context.webhookId,
        result.finishedAt,
      ],
    );
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

  /** One page of a webhook's attempts matching the filters (sort columns aliased `a.`). */
  async listPage(
    teamId: string,
    webhookId: string,
    filters: AttemptFilters,
    request: PageRequest,
  ): Promise<KeysetPage<AttemptRecord>> {
    return fetchKeysetPage(this.db, this.listQuery(teamId, webhookId, filters), request, 'a.id', toAttempt);
  }

  private listQuery(
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

  /**
   * Attempt rows with their event's envelope id, which the API shows as `event_id`, and `next_retry_at` from their
   * delivery (the later-attempt probe is an index lookup on `(delivery_id, attempt_number)`).
   */
  private selectWithEnvelope(): Knex.QueryBuilder<AttemptRow, AttemptRow[]> {
    return this.db('attempts as a')
      .join('events as e', 'e.id', 'a.event_id')
      .join('deliveries as d', 'd.id', 'a.delivery_id')
      .select<AttemptRow[]>(
        'a.*',
        'e.envelope_id',
        this.db.raw(
          `CASE WHEN d.status = 'pending' AND a.status <> 'pending'
                 AND NOT EXISTS (SELECT 1 FROM attempts later
                                  WHERE later.delivery_id = a.delivery_id AND later.attempt_number > a.attempt_number)
                THEN d.next_attempt_at END AS next_retry_at`,
        ),
      );
  }
}
