import type { QueuedLane } from '../../workflows/attempt-lanes';

/** How much each lane of one worker takes on, and the shares within it (ADR 6). */
export interface LaneSettings {
  /** Attempts in flight in the fast lane (local activities) at once. @default 100 */
  fastSlots: number;
  /** Attempts in flight at once in each queued lane (its worker's activity slots). */
  queuedSlots: Record<QueuedLane, number>;
  /** Attempts in flight to one origin (scheme, host, port), per lane. @default 16 */
  perOrigin: number;
  /** Attempts of one team in flight in the fast lane. @default 64 */
  perTeam: number;
  /** Share of the fast lane that retries (attempt 2 and later) may hold; the rest is kept for first attempts. @default 0.5 */
  retryShare: number;
  /** An origin is slow once an attempt to it has taken longer than this (in flight, or timed out). @default 3_000 */
  slowAfterMs: number;
  /** How long a slow origin stays slow after its last slow attempt, unless it answers quickly first. @default 600_000 */
  slowForMs: number;
}

export const DEFAULT_LANE_SETTINGS: LaneSettings = {
  fastSlots: 100,
  queuedSlots: { standard: 100, slow: 200 },
  perOrigin: 16,
  perTeam: 64,
  retryShare: 0.5,
  slowAfterMs: 3_000,
  slowForMs: 600_000,
};
