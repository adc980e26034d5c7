import assert from 'node:assert/strict';
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { settlementOfClosedWorkflow } from '../../src/deliveries/settlement-of-closed-workflow';

describe('settlementOfClosedWorkflow', () => {
  it('settles a delivery whose workflow was terminated or cancelled in Temporal as cancelled', () => {
    assert.deepEqual(settlementOfClosedWorkflow('TERMINATED'), {
      status: 'cancelled',
      reason: 'terminated in Temporal',
    });
    assert.deepEqual(settlementOfClosedWorkflow('CANCELLED'), { status: 'cancelled', reason: 'cancelled in Temporal' });
  });

  it('settles a delivery whose workflow timed out or failed in Temporal as failed', () => {
    assert.deepEqual(settlementOfClosedWorkflow('TIMED_OUT'), {
      status: 'failed',
      reason: 'workflow timed out in Temporal',
    });
    assert.deepEqual(settlementOfClosedWorkflow('FAILED'), { status: 'failed', reason: 'workflow failed in Temporal' });
  });

  it('leaves a delivery alone while its workflow runs, and when it completed (the workflow recorded that itself)', () => {
    const unsettled: WorkflowExecutionStatusName[] = [
      'RUNNING',
      'COMPLETED',
      'CONTINUED_AS_NEW',
      'PAUSED',
      'UNSPECIFIED',
      'UNKNOWN',
    ];
    for (const status of unsettled) assert.equal(settlementOfClosedWorkflow(status), undefined, status);
  });

  it('reads only the exact names Temporal uses', () => {
    for (const status of ['terminated', 'Cancelled', ' FAILED', '']) {
      assert.equal(settlementOfClosedWorkflow(status), undefined, JSON.stringify(status));
    }
  });
});
