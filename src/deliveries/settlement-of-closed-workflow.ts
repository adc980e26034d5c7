import type { DeliveryOutcome } from '../../workflows/delivery-workflow-input';
import type { FinalDeliveryStatus } from '../../workflows/delivery-status';

/**
 * What a closed workflow means for a delivery still pending in Postgres (`status.name` of a described or listed
 * execution, and the result of a completed one); undefined while it runs. A workflow that completed or failed
 * recorded its end itself, unless that write was lost: Postgres must still never contradict Temporal.
 */
export function settlementOfClosedWorkflow(
  temporalStatus: string,
  result?: DeliveryOutcome,
): { status: FinalDeliveryStatus; reason: string | null } | undefined {
  switch (temporalStatus) {
    case 'COMPLETED':
      if (!result) return undefined;
      return result.status === 'success'
        ? { status: 'success', reason: null }
        : { status: 'cancelled', reason: result.reason ?? 'stopped' };
    case 'FAILED':
      return { status: 'failed', reason: 'workflow failed in Temporal' };
    case 'TERMINATED':
      return { status: 'cancelled', reason: 'terminated in Temporal' };
    case 'CANCELLED':
      return { status: 'cancelled', reason: 'cancelled in Temporal' };
    case 'TIMED_OUT':
      return { status: 'failed', reason: 'workflow timed out in Temporal' };
    default:
      return undefined;
  }
}
