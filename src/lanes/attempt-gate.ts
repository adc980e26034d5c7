import type { AttemptLane, QueuedLane } from '../../workflows/attempt-lanes';
import type { AttemptStatus } from '../../workflows/attempt-result';
import type { LaneSettings } from './lane-settings';

/** Who an attempt is for, as the gate shares capacity out: its origin, its team, and whether it is a retry. */
export interface AttemptRequest {
  /** Scheme, host and port of the target (`https://hooks.example.com:443`). */
  origin: string;
  teamId: string;
  attemptNumber: number;
}

/** Why the fast lane handed an attempt to a queued lane. */
export type DeferralReason = 'slow_origin' | 'lane_full' | 'origin_share' | 'team_share' | 'retry_share';

/** A place in a lane, held for the length of one attempt. */
export interface AttemptTicket {
  readonly lane: AttemptLane;
  /** Gives the place back; the attempt's status and duration teach the gate how its origin answers. */
  release(outcome?: { status: AttemptStatus; durationMs: number }): void;
}

export type FastAdmission =
  { admitted: true; ticket: AttemptTicket } | { admitted: false; lane: QueuedLane; reason: DeferralReason };

/** What the gate tells its metrics. */
export interface GateObserver {
  deferred(reason: DeferralReason, to: QueuedLane): void;
  inFlight(lane: AttemptLane, count: number): void;
  slowOrigins(count: number): void;
}

interface Ticket extends AttemptTicket {
  readonly origin: string;
  readonly startedAt: number;
}

/** Fast-lane shares are lane-wide (the team's, the retries'), so every release there wakes every fast waiter. */
const FAST_LANE_WAITERS = 'fast lane';

/** Most origins remembered as slow at once; the oldest are forgotten first. */
const MAX_SLOW_ORIGINS = 10_000;

/**
 * The share-out of one worker's attempt capacity (ADR 6). Every attempt takes a ticket before it sends and gives
 * it back when it ends; the counts are per lane, per origin and (in the fast lane) per team, so that no origin,
 * team or run of retries can take more than its share, and an origin whose attempts take long is sent to the slow
 * lane where it waits among the other slow ones. Nothing here is durable: a lane only decides where an attempt
 * runs, and the workflow's timers alone decide when.
 */
export class AttemptGate {
  private readonly inFlight = new Map<AttemptLane, number>();
  private readonly perOrigin = new Map<string, number>();
  private readonly fastPerTeam = new Map<string, number>();
  private fastRetries = 0;
  /** In-flight attempts by origin, whatever their lane: one that runs long marks its origin slow at once. */
  private readonly running = new Map<string, Set<Ticket>>();
  private readonly slowUntil = new Map<string, number>();
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(
    private readonly settings: LaneSettings,
    private readonly observer?: GateObserver,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Admits an attempt to the fast lane, or says which queued lane should take it and why. A slow origin is handed on
   * at once; an attempt that finds its origin, team or the retries at their share waits up to `waitMs` for room
   * (fast answers free their places in milliseconds, and a wait is far cheaper than a queued lane's extra tasks).
   */
  async admitFast(request: AttemptRequest, waitMs: number): Promise<FastAdmission> {
    const deadline = this.clock() + waitMs;
    for (;;) {
      if (this.isSlow(request.origin)) return this.defer('slow_origin', 'slow');
      const full = this.fastShareFull(request);
      if (!full) return { admitted: true, ticket: this.issueFast(request) };
      const left = deadline - this.clock();
      if (left <= 0) return this.defer(full, 'standard');
      await this.waitForRoom(FAST_LANE_WAITERS, left);
    }
  }

  private fastShareFull(request: AttemptRequest): DeferralReason | undefined {
    const { settings } = this;
    if (this.count('fast') >= settings.fastSlots) return 'lane_full';
    if ((this.perOrigin.get(key('fast', request.origin)) ?? 0) >= settings.perOrigin) return 'origin_share';
    if ((this.fastPerTeam.get(request.teamId) ?? 0) >= settings.perTeam) return 'team_share';
    const retryShare = Math.floor(settings.fastSlots * settings.retryShare);
    if (request.attemptNumber > 1 && this.fastRetries >= retryShare) return 'retry_share';
    return undefined;
  }

  private issueFast(request: AttemptRequest): AttemptTicket {
    const retry = request.attemptNumber > 1;
    bump(this.fastPerTeam, request.teamId, 1);
    if (retry) this.fastRetries++;
    return this.issue('fast', request.origin, () => {
      bump(this.fastPerTeam, request.teamId, -1);
      if (retry) this.fastRetries--;
    });
  }

  private defer(reason: DeferralReason, lane: QueuedLane): FastAdmission {
    this.observer?.deferred(reason, lane);
    return { admitted: false, lane, reason };
  }

  /** The queued lane an attempt belongs in now: slow for an origin that keeps taking long, standard otherwise. */
  queuedLaneFor(origin: string): QueuedLane {
    return this.isSlow(origin) ? 'slow' : 'standard';
  }

  /**
   * A ticket in a queued lane once its origin has room there, waiting at most `waitMs` for one of the origin's own
   * attempts to end; undefined when none did (the caller hands the attempt back to its queue for later).
   */
  async enterQueued(lane: QueuedLane, request: AttemptRequest, waitMs: number): Promise<AttemptTicket | undefined> {
    const slot = key(lane, request.origin);
    const deadline = this.clock() + waitMs;
    while ((this.perOrigin.get(slot) ?? 0) >= this.settings.perOrigin) {
      const left = deadline - this.clock();
      if (left <= 0) return undefined;
      await this.waitForRoom(slot, left);
    }
    return this.issue(lane, request.origin, () => undefined);
  }

  /** True when the origin timed out or answered slowly lately, or has an attempt under way for too long now. */
  isSlow(origin: string): boolean {
    const now = this.clock();
    const until = this.slowUntil.get(origin);
    if (until !== undefined) {
      if (until > now) return true;
      this.slowUntil.delete(origin);
    }
    for (const ticket of this.running.get(origin) ?? []) {
      if (now - ticket.startedAt >= this.settings.slowAfterMs) {
        // Slow from now on, as if that attempt had ended as slowly: it counts among the slow origins at once.
        this.markSlow(origin);
        return true;
      }
    }
    return false;
  }

  /** Attempts in flight in a lane now. */
  count(lane: AttemptLane): number {
    return this.inFlight.get(lane) ?? 0;
  }

  private issue(lane: AttemptLane, origin: string, onRelease: () => void): AttemptTicket {
    const slot = key(lane, origin);
    bump(this.inFlight, lane, 1);
    bump(this.perOrigin, slot, 1);
    let released = false;
    const ticket: Ticket = {
      lane,
      origin,
      startedAt: this.clock(),
      release: (outcome) => {
        if (released) return;
        released = true;
        bump(this.inFlight, lane, -1);
        bump(this.perOrigin, slot, -1);
        onRelease();
        const running = this.running.get(origin);
        running?.delete(ticket);
        if (running?.size === 0) this.running.delete(origin);
        if (outcome) this.learn(origin, outcome);
        this.observer?.inFlight(lane, this.count(lane));
        if (lane === 'fast') this.wakeAll(FAST_LANE_WAITERS);
        else this.wakeOne(slot);
      },
    };
    let running = this.running.get(origin);
    if (!running) this.running.set(origin, (running = new Set()));
    running.add(ticket);
    this.observer?.inFlight(lane, this.count(lane));
    return ticket;
  }

  private learn(origin: string, outcome: { status: AttemptStatus; durationMs: number }): void {
    if (outcome.status === 'timeout' || outcome.durationMs >= this.settings.slowAfterMs) {
      this.markSlow(origin);
    } else {
      // One quick answer is enough: the endpoint is back, and its next attempt may take the fast lane again.
      this.slowUntil.delete(origin);
      this.observer?.slowOrigins(this.slowUntil.size);
    }
  }

  private markSlow(origin: string): void {
    this.slowUntil.delete(origin);
    this.slowUntil.set(origin, this.clock() + this.settings.slowForMs);
    if (this.slowUntil.size > MAX_SLOW_ORIGINS) this.slowUntil.delete(this.slowUntil.keys().next().value!);
    this.observer?.slowOrigins(this.slowUntil.size);
  }

  private wakeAll(slot: string): void {
    const queue = this.waiters.get(slot);
    this.waiters.delete(slot);
    for (const wake of queue ?? []) wake();
  }

  private wakeOne(slot: string): void {
    const queue = this.waiters.get(slot);
    const next = queue?.shift();
    if (queue?.length === 0) this.waiters.delete(slot);
    next?.();
  }

  private waitForRoom(slot: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let queue = this.waiters.get(slot);
      if (!queue) this.waiters.set(slot, (queue = []));
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const current = this.waiters.get(slot);
        const index = current?.indexOf(wake) ?? -1;
        if (index >= 0) current!.splice(index, 1);
        if (current?.length === 0) this.waiters.delete(slot);
        resolve();
      }, timeoutMs);
      queue.push(wake);
    });
  }
}

function key(lane: AttemptLane, origin: string): string {
  return `${lane} ${origin}`;
}

function bump(map: Map<string, number>, name: string, by: number): void {
  const next = (map.get(name) ?? 0) + by;
  if (next <= 0) map.delete(name);
  else map.set(name, next);
}
