import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { Delivery, Written } from '../api/api-types';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';
import { Notice } from './notice';

/**
 * Replay: the same event (same id, same bytes) sent again to the same webhook as a new delivery on the full
 * schedule. The API refuses a pending delivery (409) and a disabled webhook's; its reason is shown.
 */
export function ReplayButton({
  deliveryId,
  onReplayed,
}: {
  deliveryId: string;
  onReplayed?: (replay: Delivery) => void;
}) {
  const { api } = useSession();
  const [replay, setReplay] = useState<Delivery | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.post<Written<Delivery>>(`/v1/deliveries/${deliveryId}/replay`);
      setReplay(answer.data);
      onReplayed?.(answer.data);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="replay">
      <button type="button" class="button" disabled={busy} onClick={send}>
        {busy ? 'Replaying…' : 'Replay'}
      </button>
      <div role="status">
        {replay && (
          <Notice announce={false} tone="success">
            Replay started. <Link href={paths.delivery(replay.id)}>Follow the new delivery</Link>.
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
