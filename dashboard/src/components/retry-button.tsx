import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';
import { Notice } from './notice';

/** `POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry` answers this (202). */
interface RetryAnswer {
  message: string;
  delivery_id: string;
}

/**
 * Retry: Lettermint's manual retry of one attempt record, answered 202 with the new attempt's id. The API
 * refuses (409) what cannot be retried, and its message is shown as it is.
 */
export function RetryButton({ webhookId, attemptId }: { webhookId: string; attemptId: string }) {
  const { api } = useSession();
  const [answer, setAnswer] = useState<RetryAnswer | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      setAnswer(await api.post<RetryAnswer>(`/v1/webhooks/${webhookId}/deliveries/${attemptId}/retry`));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="replay">
      <button type="button" class="button" disabled={busy} onClick={send}>
        {busy ? 'Retrying…' : 'Retry'}
      </button>
      <div role="status">
        {answer && (
          <Notice announce={false} tone="success">
            {answer.message}{' '}
            {answer.delivery_id && <Link href={paths.attempt(webhookId, answer.delivery_id)}>See the new attempt</Link>}
          </Notice>
        )}
        {error && (
          <Notice announce={false} tone="error">
            {error.message}
          </Notice>
        )}
      </div>
    </div>
  );
}
