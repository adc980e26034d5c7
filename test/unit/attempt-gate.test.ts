import assert from 'node:assert/strict';
import { AttemptGate, type AttemptRequest, type DeferralReason, type GateObserver } from '../../src/lanes/attempt-gate';
import { DEFAULT_LANE_SETTINGS, type LaneSettings } from '../../src/lanes/lane-settings';
import type { AttemptLane, QueuedLane } from '../../workflows/attempt-lanes';

const ORIGIN_A = 'https://a.example.com';
const ORIGIN_B = 'https://b.example.com';

function settings(overrides: Partial<LaneSettings> = {}): LaneSettings {
  return { ...DEFAULT_LANE_SETTINGS, ...overrides };
}

function request(origin: string, teamId = 'team-1', attemptNumber = 1): AttemptRequest {
  return { origin, teamId, attemptNumber };
}

/** A clock the test moves by hand, for what the gate decides by time alone (slow origins). */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** What the gate told its metrics. */
function recordingObserver() {
  const deferrals: Array<{ reason: DeferralReason; to: QueuedLane }> = [];
  const inFlight = new Map<AttemptLane, number>();
  const slow: number[] = [];
  const observer: GateObserver = {
    deferred: (reason, to) => deferrals.push({ reason, to }),
    inFlight: (lane, count) => inFlight.set(lane, count),
    slowOrigins: (count) => slow.push(count),
  };
  return { observer, deferrals, inFlight, slow };
}

async function admitted(gate: AttemptGate, attempt: AttemptRequest) {
  const admission = await gate.admitFast(attempt, 0);
  assert.ok(admission.admitted, `expected ${attempt.origin} (${attempt.teamId}) to be admitted`);
  return admission.ticket;
}

async function deferral(gate: AttemptGate, attempt: AttemptRequest, waitMs = 0) {
  const admission = await gate.admitFast(attempt, waitMs);
  assert.ok(!admission.admitted, `expected ${attempt.origin} (${attempt.teamId}) to be deferred`);
  return { lane: admission.lane, reason: admission.reason };
}

describe('AttemptGate (lanes, ADR 6)', () => {
  describe('fast-lane shares', () => {
    it('holds one origin to its share and lets other origins in beside it', async () => {
      const gate = new AttemptGate(settings({ perOrigin: 2 }));
      await admitted(gate, request(ORIGIN_A, 'team-1'));
      await admitted(gate, request(ORIGIN_A, 'team-2'));
      assert.deepEqual(await deferral(gate, request(ORIGIN_A, 'team-3')), { lane: 'standard', reason: 'origin_share' });
      await admitted(gate, request(ORIGIN_B, 'team-3'));
      assert.equal(gate.count('fast'), 3);
    });

    it('holds one team to its share across origins and lets other teams in beside it', async () => {
      const gate = new AttemptGate(settings({ perTeam: 3 }));
      for (let i = 0; i < 3; i++) await admitted(gate, request(`https://t${i}.example.com`, 'team-1'));
      assert.deepEqual(await deferral(gate, request('https://t9.example.com', 'team-1')), {
        lane: 'standard',
        reason: 'team_share',
      });
      await admitted(gate, request('https://t9.example.com', 'team-2'));
    });

    it('lets retries hold only their share, so first attempts always find room', async () => {
      const gate = new AttemptGate(settings({ fastSlots: 10, retryShare: 0.5, perTeam: 100 }));
      const origin = (i: number) => `https://r${i}.example.com`;
      for (let i = 0; i < 5; i++) await admitted(gate, request(origin(i), `team-${i}`, 2 + i));
      assert.deepEqual(await deferral(gate, request(origin(5), 'team-5', 3)), {
        lane: 'standard',
        reason: 'retry_share',
      });
      // The other half of the lane is the first attempts': all five of them get in though retries are waiting.
      for (let i = 10; i < 15; i++) await admitted(gate, request(origin(i), `team-${i}`, 1));
      assert.equal(gate.count('fast'), 10);
      assert.deepEqual(await deferral(gate, request(origin(20), 'team-20', 1)), {
        lane: 'standard',
        reason: 'lane_full',
      });
    });

    it('gives a place back exactly once, however often release is called', async () => {
      const gate = new AttemptGate(settings({ perOrigin: 1 }));
      const ticket = await admitted(gate, request(ORIGIN_A));
      ticket.release();
      ticket.release();
      assert.equal(gate.count('fast'), 0);
      await admitted(gate, request(ORIGIN_A));
      assert.equal(gate.count('fast'), 1);
      assert.deepEqual(await deferral(gate, request(ORIGIN_A)), { lane: 'standard', reason: 'origin_share' });
    });

    it('waits up to its wait for a share and then defers, naming the share that was full', async () => {
      const { observer, deferrals } = recordingObserver();
      const gate = new AttemptGate(settings({ perOrigin: 1 }), observer);
      await admitted(gate, request(ORIGIN_A));
      const started = Date.now();
      assert.deepEqual(await deferral(gate, request(ORIGIN_A, 'team-2'), 80), {
        lane: 'standard',
        reason: 'origin_share',
      });
      const waited = Date.now() - started;
      assert.ok(waited >= 75 && waited < 1_000, `waited ${waited} ms for an 80 ms wait`);
      assert.deepEqual(deferrals, [{ reason: 'origin_share', to: 'standard' }]);
    });

    it('takes a place freed during its wait at once', async () => {
      const gate = new AttemptGate(settings({ perOrigin: 1 }));
      const holder = await admitted(gate, request(ORIGIN_A));
      const started = Date.now();
      const waiting = gate.admitFast(request(ORIGIN_A, 'team-2'), 5_000);
      setTimeout(() => holder.release({ status: 'success', durationMs: 20 }), 30);
      const admission = await waiting;
      const waited = Date.now() - started;
      assert.ok(admission.admitted, 'admitted once the origin had room');
      assert.ok(waited < 2_000, `waited ${waited} ms for a place freed after 30 ms`);
    });
  });

  describe('slow origins', () => {
    it('marks an origin slow while one of its attempts runs longer than slowAfterMs, and sends it to the slow lane at once', async () => {
      const clock = manualClock();
      const gate = new AttemptGate(settings({ slowAfterMs: 3_000 }), undefined, clock.now);
      const long = await admitted(gate, request(ORIGIN_A));
      clock.advance(2_999);
      assert.equal(gate.isSlow(ORIGIN_A), false);
      clock.advance(1);
      assert.equal(gate.isSlow(ORIGIN_A), true);
      assert.equal(gate.queuedLaneFor(ORIGIN_A), 'slow');
      assert.equal(gate.queuedLaneFor(ORIGIN_B), 'standard');
      // No waiting for a slow origin, whatever the wait allows: the manual clock would never let a wait end.
      assert.deepEqual(await deferral(gate, request(ORIGIN_A, 'team-2'), 60_000), {
        lane: 'slow',
        reason: 'slow_origin',
      });
      await admitted(gate, request(ORIGIN_B, 'team-2'));
      // It ended as slowly as it ran: the origin stays slow after it.
      long.release({ status: 'success', durationMs: 3_000 });
      assert.equal(gate.isSlow(ORIGIN_A), true);
    });

    it('counts an origin made slow by a long attempt in flight among the slow origins, and keeps it slow after', async () => {
      const clock = manualClock();
      const { observer, slow } = recordingObserver();
      const gate = new AttemptGate(settings({ slowAfterMs: 3_000, slowForMs: 60_000 }), observer, clock.now);
      const long = await admitted(gate, request(ORIGIN_A));
      clock.advance(3_000);
      assert.deepEqual(await deferral(gate, request(ORIGIN_A, 'team-2')), { lane: 'slow', reason: 'slow_origin' });
      assert.equal(slow.at(-1), 1, 'the gauge says which origins go to the slow lane, whatever made them slow');
      // The long attempt is given back without an outcome (it never got to send): the origin stays slow anyway.
      long.release();
      assert.equal(gate.isSlow(ORIGIN_A), true);
      clock.advance(60_000);
      assert.equal(gate.isSlow(ORIGIN_A), false);
    });

    it('marks an origin slow for slowForMs after a timeout, however short the attempt', async () => {
      const clock = manualClock();
      const { observer, slow } = recordingObserver();
      const gate = new AttemptGate(settings({ slowAfterMs: 3_000, slowForMs: 60_000 }), observer, clock.now);
      (await admitted(gate, request(ORIGIN_A))).release({ status: 'timeout', durationMs: 50 });
      assert.equal(gate.isSlow(ORIGIN_A), true);
      assert.deepEqual(slow, [1]);
      clock.advance(59_999);
      assert.equal(gate.isSlow(ORIGIN_A), true);
      clock.advance(1);
      assert.equal(gate.isSlow(ORIGIN_A), false);
    });

    it('clears a slow origin at its first quick answer, in any lane', async () => {
      const clock = manualClock();
      const { observer, slow } = recordingObserver();
      const gate = new AttemptGate(settings({ slowAfterMs: 3_000 }), observer, clock.now);
      (await admitted(gate, request(ORIGIN_A))).release({ status: 'timeout', durationMs: 30_000 });
      assert.equal(gate.isSlow(ORIGIN_A), true);
      const queued = await gate.enterQueued('slow', request(ORIGIN_A), 0);
      assert.ok(queued);
      queued.release({ status: 'server_error', durationMs: 40 });
      assert.equal(gate.isSlow(ORIGIN_A), false);
      assert.deepEqual(slow, [1, 0]);
      await admitted(gate, request(ORIGIN_A));
    });

    it('does not learn from an attempt released without an outcome (it never sent)', async () => {
      const clock = manualClock();
      const gate = new AttemptGate(settings({ slowAfterMs: 3_000 }), undefined, clock.now);
      (await admitted(gate, request(ORIGIN_A))).release({ status: 'timeout', durationMs: 30_000 });
      (await gate.enterQueued('slow', request(ORIGIN_A), 0))!.release();
      assert.equal(gate.isSlow(ORIGIN_A), true);
    });
  });

  describe('queued lanes', () => {
    it("waits for one of the origin's own attempts to end, not another origin's", async () => {
      const gate = new AttemptGate(settings({ perOrigin: 1 }));
      const holderA = (await gate.enterQueued('standard', request(ORIGIN_A), 0))!;
      const holderB = (await gate.enterQueued('standard', request(ORIGIN_B), 0))!;
      let entered: unknown;
      const waiting = gate.enterQueued('standard', request(ORIGIN_A, 'team-2'), 5_000).then((ticket) => {
        entered = ticket;
        return ticket;
      });
      holderB.release({ status: 'success', durationMs: 10 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(entered, undefined, "another origin's release does not let it in");
      const started = Date.now();
      holderA.release({ status: 'success', durationMs: 10 });
      const ticket = await waiting;
      assert.ok(ticket, 'entered once its origin had room');
      assert.ok(Date.now() - started < 1_000);
      assert.equal(gate.count('standard'), 1);
    });

    it('answers undefined after its wait when the origin keeps its share (the attempt goes back to its queue)', async () => {
      const gate = new AttemptGate(settings({ perOrigin: 1 }));
      await gate.enterQueued('slow', request(ORIGIN_A), 0);
      const started = Date.now();
      assert.equal(await gate.enterQueued('slow', request(ORIGIN_A), 80), undefined);
      const waited = Date.now() - started;
      assert.ok(waited >= 75 && waited < 1_000, `waited ${waited} ms for an 80 ms wait`);
    });

    it("keeps each lane's share of an origin apart, and apart from the fast lane's", async () => {
      const { observer, inFlight } = recordingObserver();
      const gate = new AttemptGate(settings({ perOrigin: 1 }), observer);
      await admitted(gate, request(ORIGIN_A));
      assert.ok(await gate.enterQueued('standard', request(ORIGIN_A), 0));
      assert.ok(await gate.enterQueued('slow', request(ORIGIN_A), 0));
      assert.equal(await gate.enterQueued('slow', request(ORIGIN_A), 0), undefined);
      assert.deepEqual(Object.fromEntries(inFlight), { fast: 1, standard: 1, slow: 1 });
    });
  });
});
