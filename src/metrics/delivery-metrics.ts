import { Counter, Histogram, type Registry } from 'prom-client';
import type { AttemptSummary } from '../../workflows/attempt-result';

/** Seconds; webhook receivers answer in ms, a delivery that needed retries succeeds hours later. */
const ATTEMPT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const EVENT_TO_SUCCESS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60, 300, 900, 3600, 4 * 3600, 14 * 3600, 24 * 3600];

/** What the worker counts as it sends: every POST made, how long it took, and how long events took to arrive. */
export class DeliveryMetrics {
  readonly attempts: Counter<'status'>;
  readonly attemptDuration: Histogram<'status'>;
  readonly eventToSuccess: Histogram;
  readonly faults: Counter<'fault'>;

  constructor(registry: Registry) {
    this.attempts = new Counter({
      name: 'tidehook_attempts_total',
      help: 'Webhook POSTs made, by outcome.',
      labelNames: ['status'],
      registers: [registry],
    });
    this.attemptDuration = new Histogram({
      name: 'tidehook_attempt_duration_seconds',
      help: 'Duration of one webhook POST, connect to last byte read.',
      labelNames: ['status'],
      buckets: ATTEMPT_BUCKETS,
      registers: [registry],
    });
    this.eventToSuccess = new Histogram({
      name: 'tidehook_event_to_success_seconds',
      help: 'Time from accepting an event to the successful POST of a delivery, retries included.',
      buckets: EVENT_TO_SUCCESS_BUCKETS,
      registers: [registry],
    });
    this.faults = new Counter({
      name: 'tidehook_attempt_faults_total',
      help: 'Attempts that could not be sent for a reason no retry mends (an undecryptable secret, a missing event).',
      labelNames: ['fault'],
      registers: [registry],
    });
  }

  observeFault(fault: string): void {
    this.faults.inc({ fault });
  }

  observeAttempt(result: AttemptSummary, eventAcceptedAt: Date): void {
    this.attempts.inc({ status: result.status });
    this.attemptDuration.observe({ status: result.status }, result.durationMs / 1000);
    if (result.status === 'success') {
      this.eventToSuccess.observe(Math.max(0, (Date.parse(result.finishedAt) - eventAcceptedAt.getTime()) / 1000));
    }
  }
}
