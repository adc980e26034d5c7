import assert from 'node:assert/strict';
import { ATTEMPT_STATUSES } from '../../workflows/attempt-result';
import { decideNextStep } from '../../workflows/decide-next-step';
import { DELIVERY_SCHEDULE } from '../../workflows/delivery-schedule';

const MINUTE = 60_000;

describe('decideNextStep over the delivery schedule', () => {
  it('has twelve attempts, waiting 1, 2, 5, 10, 10, 15, 30 minutes, then 1, 2, 4 and 6 hours', () => {
    assert.deepEqual(
      DELIVERY_SCHEDULE,
      [0, 1, 2, 5, 10, 10, 15, 30, 60, 120, 240, 360].map((minutes) => minutes * MINUTE),
    );
    assert.ok(Object.isFrozen(DELIVERY_SCHEDULE), 'a delivery copies the schedule; nobody may change the original');
  });

  // The whole table: every attempt 1..12 with every outcome an attempt can have.
  for (const status of ATTEMPT_STATUSES) {
    if (status === 'success') {
      it('ends the delivery after a success, at every one of the twelve attempts', () => {
        for (let n = 1; n <= 12; n++) {
          assert.deepEqual(decideNextStep(n, status, DELIVERY_SCHEDULE), { kind: 'done' }, `attempt ${n}`);
        }
      });
    } else {
      it(`retries after ${status} at attempts 1 to 11 after the next wait of the schedule, and gives up at 12`, () => {
        for (let n = 1; n <= 11; n++) {
          assert.deepEqual(
            decideNextStep(n, status, DELIVERY_SCHEDULE),
            { kind: 'retry', nextAttemptNumber: n + 1, afterMs: DELIVERY_SCHEDULE[n] },
            `attempt ${n}`,
          );
        }
        assert.deepEqual(decideNextStep(12, status, DELIVERY_SCHEDULE), { kind: 'give_up' }, 'attempt 12');
      });
    }
  }

  it('covers the five outcomes an attempt can have', () => {
    assert.deepEqual([...ATTEMPT_STATUSES].sort(), ['client_error', 'failed', 'server_error', 'success', 'timeout']);
  });

  it('waits an hour before attempt 9 and six hours before attempt 12: about 14 hours from first to last', () => {
    assert.deepEqual(decideNextStep(8, 'server_error', DELIVERY_SCHEDULE), {
      kind: 'retry',
      nextAttemptNumber: 9,
      afterMs: 60 * MINUTE,
    });
    assert.deepEqual(decideNextStep(11, 'timeout', DELIVERY_SCHEDULE), {
      kind: 'retry',
      nextAttemptNumber: 12,
      afterMs: 360 * MINUTE,
    });
    const total = DELIVERY_SCHEDULE.reduce((sum, ms) => sum + ms, 0);
    assert.equal(total, (14 * 60 + 13) * MINUTE);
  });

  it('follows the schedule it is given, which a delivery carries from its start', () => {
    const short = [0, 5, 7];
    assert.deepEqual(decideNextStep(1, 'client_error', short), { kind: 'retry', nextAttemptNumber: 2, afterMs: 5 });
    assert.deepEqual(decideNextStep(2, 'failed', short), { kind: 'retry', nextAttemptNumber: 3, afterMs: 7 });
    assert.deepEqual(decideNextStep(3, 'failed', short), { kind: 'give_up' });
    assert.deepEqual(decideNextStep(1, 'timeout', [0]), { kind: 'give_up' }, 'a one-attempt schedule never retries');
  });
});
