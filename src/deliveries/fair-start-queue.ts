/** What became of one submitted start. */
export type StartOutcome = 'started' | 'failed' | 'refused';

interface QueuedStart<T> {
  item: T;
  settle: (outcome: StartOutcome) => void;
}

export interface FairStartQueueOptions {
  /** Calls to Temporal under way at once, for every team together. */
  concurrency: number;
  /** Starts waiting for a turn, for every team together; past it a start is refused (the outbox sweeper has it). */
  capacity: number;
}

/**
 * The starts of one process, handed to Temporal a team at a time: each team waits in a queue of its own, and the
 * next free call goes to the waiting team served longest ago (round robin), so a team that triggered thousands of
 * deliveries holds one turn in each round, not the whole queue. Temporal's server takes starts at its own pace (tens
 * a second on a small machine); without this, a burst of one team filled every call in flight and the next team's
 * start waited behind all of them. When a start fails, the server is taken to be away and every start still waiting
 * is refused at once (they would wait out the same time for the same answer); they stay for the outbox sweeper.
 */
export class FairStartQueue<T extends { teamId: string }> {
  /** Waiting starts by team, each team's in the order it submitted them. */
  private readonly waiting = new Map<string, Array<QueuedStart<T>>>();
  /** When each team was last served (a count of starts handed out); forgotten whenever the queue is idle. */
  private readonly lastServed = new Map<string, number>();
  private tick = 0;
  private waitingCount = 0;
  private inFlight = 0;

  constructor(
    private readonly run: (item: T) => Promise<void>,
    private readonly options: FairStartQueueOptions,
  ) {}

  /** Queues one start; resolves once it ran (`started`, `failed`) or was not let in (`refused`). Never rejects. */
  submit(item: T): Promise<StartOutcome> {
    if (this.waitingCount >= this.options.capacity) return Promise.resolve('refused');
    return new Promise<StartOutcome>((settle) => {
      const queue = this.waiting.get(item.teamId);
      if (queue) queue.push({ item, settle });
      else this.waiting.set(item.teamId, [{ item, settle }]);
      this.waitingCount++;
      this.dispatch();
    });
  }

  /** Starts waiting for a turn, and calls under way. */
  get depth(): { waiting: number; inFlight: number } {
    return { waiting: this.waitingCount, inFlight: this.inFlight };
  }

  private dispatch(): void {
    while (this.inFlight < this.options.concurrency) {
      const next = this.takeNext();
      if (!next) return;
      this.inFlight++;
      this.run(next.item).then(
        () => this.finish(next, 'started'),
        () => {
          this.refuseWaiting();
          this.finish(next, 'failed');
        },
      );
    }
  }

  /** The oldest start of the waiting team served longest ago (or never), which then counts as served now. */
  private takeNext(): QueuedStart<T> | undefined {
    let chosen: string | undefined;
    let chosenServedAt = Infinity;
    for (const teamId of this.waiting.keys()) {
      const servedAt = this.lastServed.get(teamId) ?? -1;
      if (servedAt < chosenServedAt) [chosen, chosenServedAt] = [teamId, servedAt];
    }
    if (chosen === undefined) return undefined;
    const queue = this.waiting.get(chosen)!;
    const next = queue.shift()!;
    if (queue.length === 0) this.waiting.delete(chosen);
    this.waitingCount--;
    this.lastServed.set(chosen, this.tick++);
    return next;
  }

  private finish(start: QueuedStart<T>, outcome: StartOutcome): void {
    this.inFlight--;
    start.settle(outcome);
    this.dispatch();
    if (this.inFlight === 0 && this.waitingCount === 0) this.lastServed.clear();
  }

  private refuseWaiting(): void {
    const queues = [...this.waiting.values()];
    this.waiting.clear();
    this.waitingCount = 0;
    for (const queue of queues) for (const start of queue) start.settle('refused');
  }
}
