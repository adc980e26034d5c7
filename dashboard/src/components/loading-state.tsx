import type { ApiError } from '../api/api-error';
import { Notice } from './notice';

/** What a screen shows before its data arrives, or instead of it when the API refused. */
export function LoadingState({ error, what }: { error: ApiError | undefined; what: string }) {
  if (error) {
    return <Notice tone="error">{error.status === 404 ? `This ${what} does not exist.` : error.message}</Notice>;
  }
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}
