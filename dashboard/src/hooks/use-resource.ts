import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again, keeping the current data on screen until the new answer arrives. */
  reload: () => void;
}

/** Loads what `load` answers whenever `inputs` change; an answer to an older request never overwrites a newer one. */
export function useResource<T>(load: () => Promise<T>, inputs: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const request = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => {
        if (request === latest.current) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (request !== latest.current) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, String(error));
        setState({ error: apiError, loading: false });
      },
    );
    // The caller names what the load depends on, as with useEffect.
  }, [...inputs, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
