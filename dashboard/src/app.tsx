import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api/api-client';
import type { DashboardSession } from './api/api-types';
import { AppShell } from './components/app-shell';
import { matchScreen } from './router/match-screen';
import { homeOf } from './session/home-of';
import { openPortalLink, PORTAL_LINK_PATH } from './session/open-portal-link';
import { useLocation } from './router/navigation';
import { SessionContext, type SessionValue } from './session/session-context';
import { readProductName } from './session/read-product-name';
import { AttemptPage } from './pages/attempt-page';
import { DeliveryPage } from './pages/delivery-page';
import { NotFoundPage } from './pages/not-found-page';
import { PortalRefusedPage } from './pages/portal-refused-page';
import { ProjectPage } from './pages/project-page';
import { ProjectsPage } from './pages/projects-page';
import { RoutePage } from './pages/route-page';
import { SignInPage } from './pages/sign-in-page';
import { WebhookPage } from './pages/webhook-page';

type SessionState =
  | { kind: 'checking' }
  | { kind: 'signed-out'; reason?: string }
  | { kind: 'portal-refused'; reason: string }
  | { kind: 'signed-in'; session: DashboardSession };

/** Finds out whether the browser has a session, asks for a token if not, then draws the screen the address names. */
export function App() {
  const productName = useMemo(readProductName, []);
  const [state, setState] = useState<SessionState>({ kind: 'checking' });
  const api = useMemo(
    () => new ApiClient(() => setState({ kind: 'signed-out', reason: 'Your session ended. Sign in again.' })),
    [],
  );
  useEffect(() => {
    if (location.pathname === PORTAL_LINK_PATH) {
      void openPortalLink().then((opened) =>
        setState(
          opened.kind === 'opened'
            ? { kind: 'signed-in', session: opened.session }
            : { kind: 'portal-refused', reason: opened.reason },
        ),
      );
      return;
    }
    fetch('/dashboard/api/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(async (response) => {
        const answer = (await response.json()) as { data?: DashboardSession };
        setState(response.ok && answer.data ? { kind: 'signed-in', session: answer.data } : { kind: 'signed-out' });
      })
      .catch(() => setState({ kind: 'signed-out', reason: 'The server cannot be reached.' }));
  }, []);

  const session = state.kind === 'signed-in' ? state.session : undefined;
  api.useCsrfToken(session?.csrf_token);
  const value = useMemo<SessionValue | undefined>(
    () =>
      session && {
        api,
        session,
        productName,
        isOperator: session.kind === 'operator' && session.scopes.includes('manage'),
        home: homeOf(session),
        signOut: async () => {
          await api.delete('/dashboard/api/session').catch(() => undefined);
          setState(
            session.kind === 'portal'
              ? { kind: 'portal-refused', reason: 'You left the portal. Open a new portal link to come back.' }
              : { kind: 'signed-out', reason: 'You are signed out.' },
          );
        },
      },
    [api, session, productName],
  );

  if (state.kind === 'checking') return <p class="boot">Loading {productName}…</p>;
  if (state.kind === 'portal-refused') return <PortalRefusedPage productName={productName} reason={state.reason} />;
  if (!value) {
    return (
      <SignInPage
        productName={productName}
        reason={state.kind === 'signed-out' ? state.reason : undefined}
        onSignedIn={(signedIn) => setState({ kind: 'signed-in', session: signedIn })}
      />
    );
  }
  return (
    <SessionContext.Provider value={value}>
      <AppShell>
        <CurrentScreen />
      </AppShell>
    </SessionContext.Provider>
  );
}

function CurrentScreen() {
  const { pathname } = useLocation();
  const screen = matchScreen(pathname);
  switch (screen.name) {
    case 'projects':
      return <ProjectsPage />;
    case 'project':
      return <ProjectPage key={screen.projectId} projectId={screen.projectId} />;
    case 'route':
      return <RoutePage key={screen.routeId} routeId={screen.routeId} tab={screen.tab} />;
    case 'webhook':
      return <WebhookPage key={screen.webhookId} webhookId={screen.webhookId} />;
    case 'attempt':
      return <AttemptPage key={screen.attemptId} webhookId={screen.webhookId} attemptId={screen.attemptId} />;
    case 'delivery':
      return <DeliveryPage key={screen.deliveryId} deliveryId={screen.deliveryId} />;
    case 'not-found':
      return <NotFoundPage />;
  }
}
