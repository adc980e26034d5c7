import { EVENT_TYPES } from '../../../src/events/event-types';

export interface EventTypeGroup {
  name: string;
  label: string;
  types: string[];
}

const LABELS: Record<string, string> = {
  message: 'Message events',
  suppression: 'Suppression events',
  webhook: 'Webhook events',
};

/**
 * The event types a webhook can subscribe to, grouped by their prefix as Lettermint's form groups them. The list
 * is the API's own (`src/events/event-types.ts`, compiled in), so the checklist never offers a type it refuses.
 */
export const EVENT_TYPE_GROUPS: EventTypeGroup[] = (() => {
  const groups = new Map<string, EventTypeGroup>();
  for (const type of EVENT_TYPES) {
    const name = type.slice(0, type.indexOf('.'));
    let group = groups.get(name);
    if (!group) {
      group = { name, label: LABELS[name] ?? `${name} events`, types: [] };
      groups.set(name, group);
    }
    group.types.push(type);
  }
  return [...groups.values()];
})();

export const ALL_EVENT_TYPES: readonly string[] = EVENT_TYPES;
