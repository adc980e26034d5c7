import assert from 'node:assert/strict';
import { TeamDeliveryBudget } from '../../src/events/team-delivery-budget';

function manualClock(start = 5_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TeamDeliveryBudget (deliveries a team may trigger)', () => {
  it('grants a burst at once, then refuses what the bucket does not hold, all or nothing', () => {
    const clock = manualClock();
    const budget = new TeamDeliveryBudget(60, 10, clock.now);
    assert.deepEqual(budget.take('team-a', 4), { granted: true });
    assert.deepEqual(budget.take('team-a', 6), { granted: true });
    assert.equal(budget.take('team-a', 1).granted, false);
    // The refusal took nothing: after one token's worth of time, exactly one delivery fits.
    clock.advance(1_000);
    assert.deepEqual(budget.take('team-a', 1), { granted: true });
    assert.equal(budget.take('team-a', 1).granted, false);
  });

  it('refills at its rate, never beyond the burst', () => {
    const clock = manualClock();
    const budget = new TeamDeliveryBudget(600, 20, clock.now); // 10 per second
    assert.deepEqual(budget.take('team-a', 20), { granted: true });
    clock.advance(500);
    assert.deepEqual(budget.take('team-a', 5), { granted: true });
    assert.equal(budget.take('team-a', 1).granted, false);
    clock.advance(3_600_000);
    assert.deepEqual(budget.take('team-a', 20), { granted: true });
    assert.equal(budget.take('team-a', 1).granted, false, 'an hour of rest refills no more than the burst');
  });

  it('answers a Retry-After after which the same request is granted', () => {
    const clock = manualClock();
    const budget = new TeamDeliveryBudget(60, 10, clock.now); // 1 per second
    budget.take('team-a', 10);
    clock.advance(1_500);
    const refused = budget.take('team-a', 5);
    assert.deepEqual(refused, { granted: false, retryAfterSeconds: 4 }); // 1.5 held, 3.5 missing: 3.5 s, rounded up
    clock.advance(3_499);
    assert.equal(budget.take('team-a', 5).granted, false, 'not a moment before the missing 3.5 s');
    clock.advance(501); // the Retry-After's 4 s in all
    assert.deepEqual(budget.take('team-a', 5), { granted: true });
  });

  it('says at least one second, never zero', () => {
    const clock = manualClock();
    const budget = new TeamDeliveryBudget(6_000, 5, clock.now); // 100 per second
    budget.take('team-a', 5);
    assert.deepEqual(budget.take('team-a', 1), { granted: false, retryAfterSeconds: 1 });
  });

  it('keeps a bucket per team: one team past its budget throttles nobody else', () => {
    const clock = manualClock();
    const budget = new TeamDeliveryBudget(60, 3, clock.now);
    assert.deepEqual(budget.take('team-a', 3), { granted: true });
    assert.equal(budget.take('team-a', 1).granted, false);
    assert.deepEqual(budget.take('team-b', 3), { granted: true });
  });

  it('is off at 0 per minute', () => {
    const budget = new TeamDeliveryBudget(0, 1);
    for (let i = 0; i < 100; i++) assert.deepEqual(budget.take('team-a', 1_000), { granted: true });
  });

  it('names its burst as the largest request it can ever grant, and no limit when it is off', () => {
    assert.equal(new TeamDeliveryBudget(60, 10).largestRequest, 10);
    assert.equal(new TeamDeliveryBudget(0, 10).largestRequest, Infinity);
  });
});
