import type { FinalDeliveryStatus } from '../../workflows/delivery-status';

/**
 * What a workflow that closed without our code recording it means for a delivery still pending in Postgres
 * (`status.name` of a described or listed execution); undefined while it runs (or for anything else).
 */
export function settlementOfClosedWorkflow(
  temporalStatus: string,
): { status: FinalDeliveryStatus; reason: string } | undefined {
  switch (temporalStatus) {
    case 'TERMINATED':
      return { status: 'cancelled', reason: 'terminated in Temporal' };
    case 'CANCELLED':
      return { status: 'cancelled', reason: 'cancelled in Temporal' };
    case 'TIMED_OUT':
      return { status: 'failed', reason: 'workflow timed out in Temporal' };
    case 'FAILED':
      return { status: 'failed', reason: 'workflow failed in Temporal' };
    default:
      return undefined;
  }
}
