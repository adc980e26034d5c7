import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { Project, Written } from '../api/api-types';
import { useSession } from '../session/session-context';
import { Notice } from './notice';
import { TextField } from './text-field';

/** New project: a name is all it takes. */
export function CreateProjectForm({ onCreated }: { onCreated: (project: Project) => void }) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const answer = await api.post<Written<Project>>('/v1/projects', { name });
      setName('');
      setError(undefined);
      onCreated(answer.data);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  };
  return (
    <form class="inline-form" noValidate onSubmit={submit} aria-label="New project">
      {error && Object.keys(error.fieldErrors).length === 0 && <Notice tone="error">{error.message}</Notice>}
      <TextField label="New project" name="name" value={name} onInput={setName} errors={error?.forField('name')} />
      <button type="submit" class="button">
        Create project
      </button>
    </form>
  );
}
