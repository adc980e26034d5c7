import { useId, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { WebhookWithSecret, Written } from '../api/api-types';
import { useSession } from '../session/session-context';
import { ModalDialog } from './modal-dialog';
import { Notice } from './notice';
import { SecretReveal } from './secret-reveal';

/** Grace periods offered: while one runs, attempts carry a signature with the old secret too. */
const GRACE_PERIODS: Array<[seconds: number, label: string]> = [
  [0, 'None: the old secret stops working now'],
  [3600, '1 hour'],
  [86_400, '24 hours'],
  [7 * 86_400, '7 days'],
];

/** Regenerate secret: choose how long the old one stays valid, then see the new one, once. */
export function RegenerateSecretDialog({ webhookId, onClose }: { webhookId: string; onClose: () => void }) {
  const { api } = useSession();
  const id = useId();
  const [grace, setGrace] = useState(0);
  const [secret, setSecret] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const answer = await api.post<Written<WebhookWithSecret>>(`/v1/webhooks/${webhookId}/regenerate-secret`, {
        grace_period_seconds: grace,
      });
      setSecret(answer.data.secret);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <ModalDialog title={secret ? 'New secret' : 'Regenerate secret'} onClose={onClose}>
      {secret ? (
        <>
          <SecretReveal secret={secret} />
          <div class="form-actions">
            <button type="button" class="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form class="form" onSubmit={submit}>
          {error && <Notice tone="error">{error.message}</Notice>}
          <p>A new signing secret replaces the current one. Receivers must verify with the new secret from then on.</p>
          <div class="field">
            <label for={id}>Keep the old secret valid for</label>
            <select id={id} value={String(grace)} onChange={(event) => setGrace(Number(event.currentTarget.value))}>
              {GRACE_PERIODS.map(([seconds, label]) => (
                <option key={seconds} value={String(seconds)}>
                  {label}
                </option>
              ))}
            </select>
            <p class="hint">During the grace period each attempt is signed with both secrets.</p>
          </div>
          <div class="form-actions">
            <button type="button" class="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class="button button-danger" disabled={busy}>
              {busy ? 'Regenerating…' : 'Regenerate secret'}
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
