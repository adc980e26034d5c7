import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { AttemptDetail, Webhook } from '../api/api-types';
import { formatDuration } from '../format/format-duration';
import { usePolling } from '../hooks/use-polling';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';
import { Notice } from './notice';
import { StatusBadge } from './status-badge';

/** How long the button waits for the test attempt's outcome; the attempt itself times out after 30 s. */
const WAIT_MS = 45_000;

type TestState =
  | { kind: 'idle' }
  | { kind: 'waiting'; attemptId: string; since: number }
  | { kind: 'landed'; attempt: AttemptDetail }
  | { kind: 'still-pending'; attemptId: string }
  | { kind: 'refused'; error: ApiError };

/**
 * Test Webhook: sends `webhook.test`, then watches its attempt record until the outcome lands and says what it
 * was, in a live region so it is announced.
 */
export function TestWebhookButton({ webhook, onLanded }: { webhook: Webhook; onLanded: () => void }) {
  const { api } = useSession();
  const [state, setState] = useState<TestState>({ kind: 'idle' });
  const send = async () => {
    try {
      const answer = await api.post<{ delivery_id: string }>(`/v1/webhooks/${webhook.id}/test`);
      setState({ kind: 'waiting', attemptId: answer.delivery_id, since: Date.now() });
      onLanded();
    } catch (err) {
      setState({ kind: 'refused', error: err instanceof ApiError ? err : new ApiError(0, String(err)) });
    }
  };
  usePolling(state.kind === 'waiting', 500, async () => {
    if (state.kind !== 'waiting') return;
    const attempt = await api
      .get<AttemptDetail>(`/v1/webhooks/${webhook.id}/deliveries/${state.attemptId}`)
      .catch(() => undefined);
    if (attempt && attempt.status !== 'pending') {
      setState({ kind: 'landed', attempt });
      onLanded();
    } else if (Date.now() - state.since > WAIT_MS) {
      setState({ kind: 'still-pending', attemptId: state.attemptId });
    }
  });
  return (
    <div class="test-webhook">
      <button type="button" class="button button-primary" onClick={send} disabled={state.kind === 'waiting'}>
        {state.kind === 'waiting' ? 'Sending test…' : 'Test Webhook'}
      </button>
      <div class="test-outcome" role="status">
        {state.kind === 'waiting' && <span class="muted">Waiting for the receiver…</span>}
        {state.kind === 'landed' && (
          <Notice announce={false} tone={state.attempt.status === 'success' ? 'success' : 'error'}>
            Test webhook: <StatusBadge status={state.attempt.status} />
            {state.attempt.http_status_code !== null && ` HTTP ${state.attempt.http_status_code}`}
            {` · ${formatDuration(state.attempt.duration_ms)} · `}
            <Link href={paths.attempt(webhook.id, state.attempt.id)}>View attempt</Link>
          </Notice>
        )}
        {state.kind === 'still-pending' && (
          <Notice announce={false} tone="info">
            The test is still pending. <Link href={paths.attempt(webhook.id, state.attemptId)}>Follow it here</Link>.
          </Notice>
        )}
        {state.kind === 'refused' && (
          <Notice announce={false} tone="error">
            {state.error.message}
          </Notice>
        )}
      </div>
    </div>
  );
}
