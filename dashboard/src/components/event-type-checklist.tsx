import { useId } from 'preact/hooks';
import { EVENT_TYPE_GROUPS } from '../events/event-type-groups';
import { FieldErrors } from './field-errors';

interface EventTypeChecklistProps {
  selected: string[];
  onChange: (selected: string[]) => void;
  errors?: string[];
}

/** The Events field: every event type as a checkbox, grouped like Lettermint's (message, suppression, webhook). */
export function EventTypeChecklist({ selected, onChange, errors = [] }: EventTypeChecklistProps) {
  const id = useId();
  const chosen = new Set(selected);
  const toggle = (type: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(type);
    else next.delete(type);
    onChange([...next]);
  };
  const setGroup = (types: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const type of types) {
      if (on) next.add(type);
      else next.delete(type);
    }
    onChange([...next]);
  };
  return (
    <fieldset
      class="field event-types"
      aria-describedby={errors.length > 0 ? `${id}-errors` : undefined}
      aria-invalid={errors.length > 0 ? 'true' : undefined}
    >
      <legend>
        Events
        <span class="required" aria-hidden="true">
          {' '}
          *
        </span>
      </legend>
      <p class="hint">{selected.length === 0 ? 'No event selected.' : `${selected.length} selected.`}</p>
      <FieldErrors id={`${id}-errors`} messages={errors} />
      {EVENT_TYPE_GROUPS.map((group) => {
        const all = group.types.every((type) => chosen.has(type));
        return (
          <fieldset class="event-group" key={group.name}>
            <legend>{group.label}</legend>
            <button type="button" class="button-link" onClick={() => setGroup(group.types, !all)}>
              {all ? 'Clear' : 'Select all'} <span class="visually-hidden">{group.label}</span>
            </button>
            <ul>
              {group.types.map((type) => (
                <li key={type}>
                  <label>
                    <input
                      type="checkbox"
                      name="events"
                      value={type}
                      checked={chosen.has(type)}
                      onChange={(event) => toggle(type, event.currentTarget.checked)}
                    />
                    <code>{type}</code>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        );
      })}
    </fieldset>
  );
}
