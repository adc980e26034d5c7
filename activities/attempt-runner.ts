import { Context } from '@temporalio/activity';
import type { AttemptGate, AttemptTicket } from '../src/lanes/attempt-gate';
import type { DeliveryMetrics } from '../src/metrics/delivery-metrics';
import { basicAuthorization, REDACTED_BASIC_AUTHORIZATION } from '../src/secrets/basic-auth-credentials';
import type { SecretCipher } from '../src/secrets/secret-cipher';
import { buildSignatureHeader } from '../src/signature/sign-payload';
import { buildStandardWebhooksHeaders } from '../src/signature/standard-webhooks-headers';
import type { AttemptContext } from '../src/store/attempt-store';
import type { Stores } from '../src/store/create-stores';
import type { QueuedLane } from '../workflows/attempt-lanes';
import { summarize, type AttemptResult } from '../workflows/attempt-result';
import { decideNextStep } from '../workflows/decide-next-step';
import { attemptInFlight, originBusy, throwIfCancelled } from './attempt-not-sent';
import type { AttemptInput, FastAttemptOutcome } from './attempt-outcome';
import { keepHeartbeating } from './keep-heartbeating';
import type { WebhookPoster } from './post-webhook';
import { writeWithin } from './write-within';

export interface AttemptRunnerDependencies {
  stores: Pick<Stores, 'attemptPlans' | 'attempts'>;
  post: WebhookPoster;
  /** Sent as `User-Agent` with every attempt. */
  userAgent: string;
  gate: AttemptGate;
  /** Seals an exchange for its trip through workflow history when Postgres cannot take it at once. */
  sealer: Pick<SecretCipher, 'encrypt'>;
  /** Wall clock for signatures; injectable so tests can pin it. */
  now?: () => Date;
  metrics?: DeliveryMetrics;
  /** How long the attempt waits for its own record to be written before leaving it to the workflow. @default 5_000 */
  inlineRecordTimeoutMs?: number;
}

/** Where the attempt runs: the fast lane admits or defers at once; a queued lane waits a little for its origin. */
export type AttemptAdmission = { lane: 'fast' } | { lane: QueuedLane; waitMs: number };

/** How long a fast-lane attempt waits for its origin's or team's share before it is handed to a queued lane. */
const FAST_WAIT_MS = 100;

/**
 * Faults no retry will mend, recorded visibly instead of retried forever. Undecryptable Basic Auth credentials count
 * as `secret_unreadable` too: the same key configuration causes it and mends it; the attempt's message says which.
 */
export type AttemptFault = 'secret_unreadable' | 'event_missing';

const UNREADABLE = { secret: 'the signing secret', basic_auth: 'the Basic Auth credentials' } as const;

/**
 * One attempt of a delivery, the same in every lane: read what it needs (one statement), stop if the delivery or
 * webhook says so, take a place in the lane, sign the stored body afresh, POST it, and record the outcome. Before
 * the POST it may throw (nothing was sent, a retry is safe); after the POST nothing throws, so no database failure
 * can cause a second POST.
 */
export function createAttemptRunner(deps: AttemptRunnerDependencies) {
  const { stores, post, userAgent, gate } = deps;
  const now = deps.now ?? (() => new Date());
  const inlineRecordTimeoutMs = deps.inlineRecordTimeoutMs ?? 5_000;
  /** Attempts this process is running now, by delivery and number: one run of an attempt at a time. */
  const running = new Set<string>();

  /** Writes the outcome with what it means for the delivery: done, failed for good, or the next attempt's time. */
  async function record(
    context: AttemptContext,
    input: Pick<AttemptInput, 'attemptNumber' | 'schedule'>,
    result: AttemptResult,
  ): Promise<void> {
    const step = decideNextStep(input.attemptNumber, result.status, input.schedule);
    const finishedAt = new Date(result.finishedAt);
    await stores.attempts.recordOutcome({
      context,
      attemptNumber: input.attemptNumber,
      result,
      delivery: {
        status: step.kind === 'done' ? 'success' : step.kind === 'give_up' ? 'failed' : 'pending',
        nextAttemptAt: step.kind === 'retry' ? new Date(finishedAt.getTime() + step.afterMs) : null,
      },
    });
  }

  async function run(input: AttemptInput, admission: AttemptAdmission): Promise<FastAttemptOutcome> {
    const key = `${input.deliveryId}#${input.attemptNumber}`;
    if (running.has(key)) throw attemptInFlight(input);
    running.add(key);
    const heartbeat = keepHeartbeating();
    let ticket: AttemptTicket | undefined;
    try {
      const plan = await stores.attemptPlans.load(input.deliveryId, input.attemptNumber, now());
      if (!plan) return { kind: 'stopped', status: 'cancelled', reason: 'delivery record not found' };
      const { delivery, event, target } = plan;
      if (!event) {
        fault('event_missing', input, `event ${delivery.eventId} of delivery ${delivery.id} not found`);
        return { kind: 'stopped', status: 'failed', reason: 'the event record is missing' };
      }
      const context: AttemptContext = {
        deliveryId: delivery.id,
        teamId: delivery.teamId,
        webhookId: delivery.webhookId,
        eventId: event.id,
        eventType: event.eventType,
      };
      // An earlier run of this very attempt sent and recorded it (a worker died before Temporal heard): its outcome
      // is the outcome, and nothing is sent twice.
      if (plan.recorded) return { kind: 'sent', context, summary: plan.recorded, recorded: true, sealed: null };
      if (delivery.status !== 'pending') {
        return { kind: 'stopped', status: 'cancelled', reason: `delivery already ${delivery.status}` };
      }
      if (target.state === 'disabled' || target.state === 'deleted') {
        return { kind: 'stopped', status: 'cancelled', reason: `webhook ${target.state}` };
      }
      if (target.state === 'unreadable') {
        fault('secret_unreadable', input, target.reason);
        const stamp = now().toISOString();
        return finish(context, input, {
          status: 'failed',
          httpStatusCode: null,
          durationMs: 0,
          errorMessage: `not sent: ${UNREADABLE[target.credential]} cannot be decrypted with the configured keys (SECRET_ENCRYPTION_KEY)`,
          startedAt: stamp,
          finishedAt: stamp,
          requestHeaders: {},
          responseHeaders: {},
          responseBody: null,
        });
      }

      const request = { origin: originOf(target.url), teamId: delivery.teamId, attemptNumber: input.attemptNumber };
      if (admission.lane === 'fast') {
        const admitted = await gate.admitFast(request, FAST_WAIT_MS);
        if (!admitted.admitted) return { kind: 'deferred', lane: admitted.lane, reason: admitted.reason };
        ticket = admitted.ticket;
      } else {
        ticket = await gate.enterQueued(admission.lane, request, admission.waitMs);
        if (!ticket) throw originBusy(request.origin);
      }
      throwIfCancelled();

      const timestamp = Math.floor(now().getTime() / 1000);
      const result = await post({
        url: target.url,
        teamId: delivery.teamId,
        body: event.body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': userAgent,
          'X-Lettermint-Signature': buildSignatureHeader(target.secrets, timestamp, event.body),
          'X-Lettermint-Event': event.eventType,
          'X-Lettermint-Delivery': String(timestamp),
          'X-Lettermint-Attempt': String(input.attemptNumber),
          ...(target.signatureScheme === 'standard_webhooks' &&
            buildStandardWebhooksHeaders(target.secrets, event.envelopeId, timestamp, event.body)),
          ...(target.basicAuth && { Authorization: basicAuthorization(target.basicAuth) }),
        },
      });
      // From here on nothing may throw: the POST happened.
      ticket.release({ status: result.status, durationMs: result.durationMs });
      ticket = undefined;
      observe(() => deps.metrics?.observeAttempt(result, event.createdAt));
      // The record (and a sealed exchange in history) shows that the header went, never the credentials.
      const requestHeaders = target.basicAuth
        ? { ...result.requestHeaders, Authorization: REDACTED_BASIC_AUTHORIZATION }
        : result.requestHeaders;
      return finish(context, input, { ...result, requestHeaders });
    } finally {
      ticket?.release();
      heartbeat.stop();
      running.delete(key);
    }
  }

  /** Records the outcome within the inline bound; if Postgres is away, the outcome travels on, sealed. */
  async function finish(context: AttemptContext, input: AttemptInput, result: AttemptResult) {
    const recorded = await writeWithin(inlineRecordTimeoutMs, () => record(context, input, result));
    const summary = summarize(result);
    observe(() =>
      // The activity logger adds workflowId, runId and activity details to every line.
      Context.current().log.info('attempt finished', {
        deliveryId: context.deliveryId,
        attemptNumber: input.attemptNumber,
        status: summary.status,
        httpStatusCode: summary.httpStatusCode,
        durationMs: summary.durationMs,
        errorMessage: summary.errorMessage,
        recorded,
      }),
    );
    const sealed = recorded
      ? null
      : deps.sealer.encrypt(
          JSON.stringify({
            requestHeaders: result.requestHeaders,
            responseHeaders: result.responseHeaders,
            responseBody: result.responseBody,
          }),
        );
    return { kind: 'sent' as const, context, summary, recorded, sealed };
  }

  function fault(kind: AttemptFault, input: AttemptInput, detail: string): void {
    observe(() => deps.metrics?.observeFault(kind));
    observe(() =>
      Context.current().log.error('attempt cannot be sent', {
        fault: kind,
        deliveryId: input.deliveryId,
        attemptNumber: input.attemptNumber,
        detail,
      }),
    );
  }

  return { run, record };
}

export type AttemptRunner = ReturnType<typeof createAttemptRunner>;

/** Scheme, host and port: what the per-origin shares count by. A URL that does not parse is its own origin. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}

/** Telemetry must never turn a sent attempt into a failed activity. */
function observe(action: () => void): void {
  try {
    action();
  } catch {
    // ignored on purpose
  }
}
