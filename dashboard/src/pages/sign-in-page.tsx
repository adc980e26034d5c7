import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import type { DashboardSession, Written } from '../api/api-types';
import { Notice } from '../components/notice';
import { TextField } from '../components/text-field';

interface SignInPageProps {
  productName: string;
  onSignedIn: (session: DashboardSession) => void;
  /** Why the page asks again (the session ran out), if it does. */
  reason?: string;
}

/**
 * Sign in with an API token. The token goes to the server once and is traded for an HttpOnly session cookie; the
 * page keeps nothing of it.
 */
export function SignInPage({ productName, onSignedIn, reason }: SignInPageProps) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `Sign in · ${productName}`;
  }, [productName]);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const response = await fetch('/dashboard/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ token: token.trim() }),
        credentials: 'same-origin',
      });
      const answer = (await response.json().catch(() => ({}))) as Partial<Written<DashboardSession>> & {
        errors?: Record<string, string[]>;
      };
      if (!response.ok || !answer.data) {
        throw new ApiError(response.status, answer.message ?? `The server answered ${response.status}.`, answer.errors);
      }
      setToken('');
      onSignedIn(answer.data);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'The server cannot be reached.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <form class="panel sign-in-panel" onSubmit={submit} noValidate>
        <h1>{productName}</h1>
        <p>Sign in with an API token that has the manage scope.</p>
        {reason && <Notice tone="info">{reason}</Notice>}
        {error && <Notice tone="error">{error.message}</Notice>}
        <TextField
          label="API token"
          name="token"
          type="password"
          value={token}
          onInput={setToken}
          autoComplete="off"
          hint="npm start prints a development token; npm run cli -- create-team makes one for a new team."
          errors={error?.forField('token')}
        />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy || token.trim() === ''}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </main>
  );
}
