import { useId, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { Route, Written } from '../api/api-types';
import { useSession } from '../session/session-context';
import { FieldErrors } from './field-errors';
import { Notice } from './notice';
import { TextField } from './text-field';

const ROUTE_TYPES = ['transactional', 'broadcast', 'inbound'];

/** New route of a project: a name and a type (fixed once created). */
export function CreateRouteForm({ projectId, onCreated }: { projectId: string; onCreated: (route: Route) => void }) {
  const { api } = useSession();
  const id = useId();
  const [name, setName] = useState('');
  const [type, setType] = useState('transactional');
  const [error, setError] = useState<ApiError | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const answer = await api.post<Written<Route>>(`/v1/projects/${projectId}/routes`, { name, route_type: type });
      setName('');
      setError(undefined);
      onCreated(answer.data);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  };
  return (
    <form class="inline-form" noValidate onSubmit={submit} aria-label="New route">
      {error && Object.keys(error.fieldErrors).length === 0 && <Notice tone="error">{error.message}</Notice>}
      <TextField label="New route" name="name" value={name} onInput={setName} errors={error?.forField('name')} />
      <div class="field">
        <label for={id}>Type</label>
        <select id={id} value={type} onChange={(event) => setType(event.currentTarget.value)}>
          {ROUTE_TYPES.map((routeType) => (
            <option key={routeType} value={routeType}>
              {routeType}
            </option>
          ))}
        </select>
        <FieldErrors id={`${id}-errors`} messages={error?.forField('route_type') ?? []} />
      </div>
      <button type="submit" class="button">
        Create route
      </button>
    </form>
  );
}
