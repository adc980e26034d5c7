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

  it('settles a completed workflow by its result: delivered as success, stopped as cancelled with its reason', () => {
    assert.deepEqual(settlementOfClosedWorkflow('COMPLETED', { status: 'success', attempts: 3 }), {
      status: 'success',
      reason: null,
    });
    assert.deepEqual(
      settlementOfClosedWorkflow('COMPLETED', { status: 'cancelled', attempts: 1, reason: 'webhook disabled' }),
      { status: 'cancelled', reason: 'webhook disabled' },
    );
    assert.deepEqual(settlementOfClosedWorkflow('COMPLETED', { status: 'cancelled', attempts: 2 }), {
      status: 'cancelled',
      reason: 'stopped',
    });
  });

  it('leaves a delivery alone while its workflow runs, and a completed one whose result it does not know', () => {
    const unsettled: WorkflowExecutionStatusName[] = [
      'RUNNING',
      'CONTINUED_AS_NEW',
      'PAUSED',
      'UNSPECIFIED',
      'UNKNOWN',
    ];
    for (const status of unsettled) assert.equal(settlementOfClosedWorkflow(status), undefined, status);
    assert.equal(settlementOfClosedWorkflow('COMPLETED'), undefined);
  });

  it('settles by the status alone, whatever result comes with a workflow that did not complete', () => {
    const delivered = { status: 'success', attempts: 1 } as const;
    assert.deepEqual(settlementOfClosedWorkflow('TERMINATED', delivered), {
      status: 'cancelled',
      reason: 'terminated in Temporal',
    });
    assert.equal(settlementOfClosedWorkflow('RUNNING', delivered), undefined);
  });

  it('reads only the exact names Temporal uses', () => {
    for (const status of ['terminated', 'Cancelled', ' FAILED', '']) {
      assert.equal(settlementOfClosedWorkflow(status), undefined, JSON.stringify(status));
    }
  });
});
