import type { AttemptSummary } from '../../workflows/attempt-result';
import type { DeliveryStatus } from '../../workflows/delivery-status';
import type { Database } from '../db/create-database';
import { decryptBasicAuth, type BasicAuthCredentials } from '../secrets/basic-auth-credentials';
import type { SecretCipher } from '../secrets/secret-cipher';
import type { SignatureScheme } from '../signature/signature-scheme';
import type { AttemptRecordStatus } from './attempt-record';

/** Where an attempt goes and with which secrets, as the webhook stands right now. */
export type AttemptTarget =
  | {
      state: 'active';
      url: string;
      secrets: string[];
      signatureScheme: SignatureScheme;
      /** Sent as `Authorization: Basic`; null: no such header. */
      basicAuth: BasicAuthCredentials | null;
    }
  | { state: 'disabled'; url: string }
  | { state: 'deleted'; url: string }
  /** A secret or the Basic Auth cannot be decrypted with the configured keys: a fault no retry will mend. */
  | { state: 'unreadable'; url: string; credential: 'secret' | 'basic_auth'; reason: string };

/** Everything an attempt needs to decide and send, read in one statement. */
export interface AttemptPlan {
  delivery: { id: string; teamId: string; status: DeliveryStatus; eventId: string; webhookId: string };
  /** Undefined when the event row is gone (a fault: a pending delivery's event is never deleted). */
  event: { id: string; envelopeId: string; eventType: string; body: string; createdAt: Date } | undefined;
  target: AttemptTarget;
  /** The outcome of this attempt number when it was already written (by an earlier run of the same attempt). */
  recorded: AttemptSummary | undefined;
}

interface PlanRow {
  id: string;
  team_id: string;
  status: DeliveryStatus;
  event_id: string;
  webhook_id: string;
  event_row_id: string | null;
  envelope_id: string | null;
  event_type: string | null;
  body: string | null;
  event_created_at: Date | null;
  url: string;
  enabled: boolean;
  deleted_at: Date | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  signature_scheme: SignatureScheme;
  basic_auth: string | null;
  attempt_status: AttemptRecordStatus | null;
  http_status_code: number | null;
  duration_ms: number | null;
  error_message: string | null;
  attempt_started_at: Date | null;
  attempt_finished_at: Date | null;
}

/**
 * The read before every attempt: the delivery, its event, the webhook as it is now (a new URL or secret applies to
 * the next attempt) and any record this attempt already has, in one round trip.
 */
export class AttemptPlanStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: SecretCipher,
  ) {}

  async load(deliveryId: string, attemptNumber: number, now: Date): Promise<AttemptPlan | undefined> {
    const result = await this.db.raw<{ rows: PlanRow[] }>(
      `SELECT d.id, d.team_id, d.status, d.event_id, d.webhook_id,
              e.id AS event_row_id, e.envelope_id, e.event_type, e.body, e.created_at AS event_created_at,
              w.url, w.enabled, w.deleted_at, w.secret, w.previous_secret, w.previous_secret_expires_at,
              w.signature_scheme, w.basic_auth,
              a.status AS attempt_status, a.http_status_code, a.duration_ms, a.error_message,
              a.started_at AS attempt_started_at, a.finished_at AS attempt_finished_at
         FROM deliveries d
         JOIN webhooks w ON w.id = d.webhook_id
         LEFT JOIN events e ON e.id = d.event_id
         LEFT JOIN attempts a ON a.delivery_id = d.id AND a.attempt_number = ?
        WHERE d.id = ?`,
      [attemptNumber, deliveryId],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    return {
      delivery: {
        id: row.id,
        teamId: row.team_id,
        status: row.status,
        eventId: row.event_id,
        webhookId: row.webhook_id,
      },
      event:
        row.event_row_id === null
          ? undefined
          : {
              id: row.event_row_id,
              envelopeId: row.envelope_id!,
              eventType: row.event_type!,
              body: row.body!,
              createdAt: row.event_created_at!,
            },
      target: this.targetOf(row, now),
      recorded:
        row.attempt_status && row.attempt_status !== 'pending'
          ? {
              status: row.attempt_status,
              httpStatusCode: row.http_status_code,
              durationMs: row.duration_ms ?? 0,
              errorMessage: row.error_message,
              startedAt: (row.attempt_started_at ?? now).toISOString(),
              finishedAt: (row.attempt_finished_at ?? now).toISOString(),
            }
          : undefined,
    };
  }

  private targetOf(row: PlanRow, now: Date): AttemptTarget {
    if (row.deleted_at) return { state: 'deleted', url: row.url };
    if (!row.enabled) return { state: 'disabled', url: row.url };
    let secrets: string[];
    try {
      const current = this.cipher.decrypt(row.secret);
      const graceful = row.previous_secret && row.previous_secret_expires_at && row.previous_secret_expires_at > now;
      // Oldest first: during a rotation grace period the old secret signs too, as the first v1.
      secrets = graceful ? [this.cipher.decrypt(row.previous_secret!), current] : [current];
    } catch (err) {
      return { state: 'unreadable', url: row.url, credential: 'secret', reason: (err as Error).message };
    }
    let basicAuth: BasicAuthCredentials | null = null;
    try {
      if (row.basic_auth !== null) basicAuth = decryptBasicAuth(this.cipher, row.basic_auth);
    } catch (err) {
      return { state: 'unreadable', url: row.url, credential: 'basic_auth', reason: (err as Error).message };
    }
    return { state: 'active', url: row.url, secrets, signatureScheme: row.signature_scheme, basicAuth };
  }
}
