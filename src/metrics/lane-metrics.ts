import { Counter, Gauge, type Registry } from 'prom-client';
import { ATTEMPT_LANES, type AttemptLane, type QueuedLane } from '../../workflows/attempt-lanes';
import type { DeferralReason, GateObserver } from '../lanes/attempt-gate';
import type { LaneSettings } from '../lanes/lane-settings';

/** What a worker's lanes hold, may hold and hand on: the share-out of ADR 6, visible in /metrics. */
export class LaneMetrics implements GateObserver {
  private readonly capacity: Gauge<'lane'>;
  private readonly inFlightGauge: Gauge<'lane'>;
  private readonly deferrals: Counter<'reason' | 'to'>;
  private readonly slow: Gauge;

  constructor(registry: Registry, settings: LaneSettings) {
    this.capacity = new Gauge({
      name: 'tidehook_lane_capacity',
      help: 'Attempts a lane of this worker runs at once.',
      labelNames: ['lane'],
      registers: [registry],
    });
    this.inFlightGauge = new Gauge({
      name: 'tidehook_lane_in_flight',
      help: 'Attempts in flight in a lane of this worker.',
      labelNames: ['lane'],
      registers: [registry],
    });
    this.deferrals = new Counter({
      name: 'tidehook_lane_deferrals_total',
      help: 'Attempts the fast lane handed on, unsent, to a queued lane, by reason.',
      labelNames: ['reason', 'to'],
      registers: [registry],
    });
    this.slow = new Gauge({
      name: 'tidehook_slow_origins',
      help: 'Origins this worker currently sends to the slow lane.',
      registers: [registry],
    });
    const capacities: Record<AttemptLane, number> = { fast: settings.fastSlots, ...settings.queuedSlots };
    for (const lane of ATTEMPT_LANES) {
      this.capacity.set({ lane }, capacities[lane]);
      this.inFlightGauge.set({ lane }, 0);
    }
  }

  deferred(reason: DeferralReason, to: QueuedLane): void {
    this.deferrals.inc({ reason, to });
  }

  inFlight(lane: AttemptLane, count: number): void {
    this.inFlightGauge.set({ lane }, count);
  }

  slowOrigins(count: number): void {
    this.slow.set(count);
  }
}
