import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../workflows/delivery-search-attributes';
import type { CliOutput } from './cli-command';

/**
 * Registers the delivery search attributes (WebhookId, RouteId, ProjectId, EventType, DeliveryStatus) on an
 * external Temporal cluster; the embedded dev server gets them at start. Idempotent.
 */
export async function registerSearchAttributes(env: NodeJS.ProcessEnv, output: CliOutput): Promise<void> {
  const address = env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set (host:port of your Temporal frontend)');
  const namespace = env.TEMPORAL_NAMESPACE ?? 'default';
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.keys(SEARCH_ATTRIBUTE_DEFINITIONS).filter(
      (name) => !(name in (existing.customAttributes ?? {})),
    );
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(
          missing.map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
        ),
      });
    }
    for (const name of Object.keys(SEARCH_ATTRIBUTE_DEFINITIONS))
      output.out(`${name} Keyword ${missing.includes(name) ? 'added' : 'present'}`);
  } finally {
    await connection.close();
  }
}
