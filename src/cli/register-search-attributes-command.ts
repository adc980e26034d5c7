import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../workflows/delivery-search-attributes';
import type { CliCommand } from './cli-command';

/**
 * Registers the delivery search attributes (WebhookId, RouteId, ProjectId, EventType, DeliveryStatus) on an
 * external Temporal cluster; the embedded dev server gets them at start. Idempotent.
 */
export const registerSearchAttributesCommand: CliCommand = {
  name: 'register-search-attributes',
  summary: 'Register the delivery search attributes on an external Temporal cluster (TEMPORAL_ADDRESS).',
  usage: '',
  needs: 'temporal',
  options: {},
  async run({ address, namespace }, _values, output) {
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
      for (const name of Object.keys(SEARCH_ATTRIBUTE_DEFINITIONS)) {
        output.out(`${name} Keyword ${missing.includes(name) ? 'added' : 'present'}`);
      }
    } finally {
      await connection.close();
    }
  },
};
