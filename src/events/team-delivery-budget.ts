/** The answer of a budget: go ahead, or wait this long. */
export type BudgetDecision = { granted: true } | { granted: false; retryAfterSeconds: number };

/**
 * How many deliveries a team may trigger, per API process: a token bucket per team that refills at `perMinute`
 * and holds at most `burst`, so a service may send a batch at once but no team can keep the delivery engine busy
 * for everyone else. Separate from the per-token request limit of the management API.
 */
export class TeamDeliveryBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** @param perMinute deliveries per team per minute; 0 turns the budget off. */
  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The most deliveries one request can ever take: a larger one would wait forever, so it is refused as too large. */
  get largestRequest(): number {
    return this.perMinute > 0 ? this.burst : Infinity;
  }

  /** Takes `count` deliveries from the team's budget, or none of them when it does not hold that many. */
  take(teamId: string, count: number): BudgetDecision {
    if (this.perMinute <= 0 || count <= 0) return { granted: true };
    const now = this.clock();
    const perMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(teamId) ?? { tokens: this.burst, at: now };
    const tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * perMs);
    if (tokens >= count) {
      this.buckets.set(teamId, { tokens: tokens - count, at: now });
      return { granted: true };
    }
    this.buckets.set(teamId, { tokens, at: now });
    // A request larger than the whole burst can never pass: say so by the time a full bucket takes.
    const missing = Math.min(count, this.burst) - tokens;
    return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / perMs / 1000)) };
  }
}
