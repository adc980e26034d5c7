import assert from 'node:assert/strict';
import type { AttemptStatus, AttemptSummary } from '../../dashboard/src/api/api-types';
import { summarizeHealth } from '../../dashboard/src/health/summarize-health';

function attempts(...statuses: AttemptStatus[]): AttemptSummary[] {
  return statuses.map((status, index) => ({
    id: `a${index}`,
    webhook_id: 'w',
    delivery_id: `d${index}`,
    event_id: `e${index}`,
    event_type: 'message.delivered',
    status,
    attempt_number: 1,
    http_status_code: null,
    duration_ms: null,
    delivered_at: null,
    created_at: '2026-01-01T00:00:00.000Z',
  }));
}

describe('summarizeHealth (the dashboard health column)', () => {
  it('counts the failures since the last success, newest first', () => {
    const health = summarizeHealth(attempts('server_error', 'timeout', 'client_error', 'success', 'failed'), false);
    assert.equal(health.lastOutcome?.status, 'server_error');
    assert.equal(health.failureStreak, 3);
    assert.equal(health.capped, false);
  });

  it('ignores attempts still pending, which have no outcome yet', () => {
    const health = summarizeHealth(attempts('pending', 'success', 'server_error'), false);
    assert.equal(health.lastOutcome?.status, 'success');
    assert.equal(health.failureStreak, 0);
  });

  it('says the streak may be longer when every attempt looked at failed and older ones exist', () => {
    assert.equal(summarizeHealth(attempts('failed', 'failed'), true).capped, true);
    assert.equal(summarizeHealth(attempts('failed', 'failed'), false).capped, false);
    assert.equal(summarizeHealth(attempts('failed', 'success'), true).capped, false);
  });

  it('has no outcome for a webhook never called', () => {
    assert.deepEqual(summarizeHealth([], false), { lastOutcome: undefined, failureStreak: 0, capped: false });
  });
});
