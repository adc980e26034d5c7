import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { temporal as proto } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../../workflows/delivery-search-attributes';
import { findTemporalBinary } from '../../../src/embedded/find-temporal-binary';
import { bundleDeliveryWorkflows } from '../../../src/worker/create-delivery-worker';

let bundle: Promise<WorkflowBundle> | undefined;

/** The workflow bundle, built once for the whole test run. */
export function sharedWorkflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleDeliveryWorkflows();
  return bundle;
}

/**
 * The real time-skipping test server: from `.tools/bin` (npm run provision) when there, else the SDK downloads it.
 * Our search attributes are registered, since this server rejects unknown ones.
 */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const binary = findTemporalBinary('temporal-test-server');
  const env = await TestWorkflowEnvironment.createTimeSkipping(
    binary ? { server: { executable: { type: 'existing-path', path: binary } } } : {},
  );
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.keys(SEARCH_ATTRIBUTE_DEFINITIONS).map((name) => [
        name,
        proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return env;
}
