import type { ComponentChildren } from 'preact';
import { Link } from '../router/link';
import { useSession } from '../session/session-context';

/** The frame of every signed-in screen: a skip link, the product's name, navigation and sign-out. */
export function AppShell({ children }: { children: ComponentChildren }) {
  const { productName, signOut, home, session } = useSession();
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <Link class="brand" href={home}>
          {productName}
        </Link>
        <nav aria-label="Main" class="app-nav">
          <Link href={home}>{session.kind === 'portal' ? 'Webhooks' : 'Projects'}</Link>
          <button type="button" class="button button-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </nav>
      </header>
      <main id="main" class="app-main">
        {children}
      </main>
    </>
  );
}
