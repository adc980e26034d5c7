import type { ComponentChildren } from 'preact';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';

/** The frame of every signed-in screen: a skip link, the product's name, navigation and sign-out. */
export function AppShell({ children }: { children: ComponentChildren }) {
  const { productName, signOut } = useSession();
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <Link class="brand" href={paths.projects()}>
          {productName}
        </Link>
        <nav aria-label="Main" class="app-nav">
          <Link href={paths.projects()}>Projects</Link>
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
