import { useId } from 'preact/hooks';
import { ALL_EVENT_TYPES } from '../events/event-type-groups';

export const ATTEMPT_STATUSES = ['pending', 'success', 'failed', 'client_error', 'server_error', 'timeout'];

export interface AttemptFilterValues {
  status: string;
  event_type: string;
  from: string;
  to: string;
}

/** Filters of the attempt history, as the API takes them: status, event type, and a range of (UTC) days. */
export function AttemptFilters(props: {
  values: AttemptFilterValues;
  onChange: (values: AttemptFilterValues) => void;
}) {
  const id = useId();
  const set = (key: keyof AttemptFilterValues) => (event: Event) =>
    props.onChange({ ...props.values, [key]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  return (
    <form class="filters" role="search" aria-label="Filter deliveries" onSubmit={(event) => event.preventDefault()}>
      <div class="field">
        <label for={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={props.values.status} onChange={set('status')}>
          <option value="">All statuses</option>
          {ATTEMPT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-event`}>Event type</label>
        <select id={`${id}-event`} value={props.values.event_type} onChange={set('event_type')}>
          <option value="">All event types</option>
          {ALL_EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-from`}>From (UTC day)</label>
        <input id={`${id}-from`} type="date" value={props.values.from} onChange={set('from')} />
      </div>
      <div class="field">
        <label for={`${id}-to`}>To (UTC day)</label>
        <input id={`${id}-to`} type="date" value={props.values.to} onChange={set('to')} />
      </div>
    </form>
  );
}
