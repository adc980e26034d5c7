import type { DashboardSession } from '../api/api-types';
import { homeOf } from './home-of';

/** The address `POST /v1/portal-sessions` answers, with the one-time token in its fragment. */
export const PORTAL_LINK_PATH = '/dashboard/portal';

export type PortalLinkOutcome = { kind: 'opened'; session: DashboardSession } | { kind: 'refused'; reason: string };

/**
 * Trades the link's token (in the fragment, which no server saw) for the portal's session cookie, once. The
 * fragment is dropped from the address and the history before anything else, so neither a reload nor the back
 * button offers the spent token again, and the page lands on the portal's first screen.
 */
export async function openPortalLink(): Promise<PortalLinkOutcome> {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  history.replaceState(null, '', PORTAL_LINK_PATH);
  if (!token) return { kind: 'refused', reason: 'This portal link is incomplete: it carries no token.' };
  try {
    const response = await fetch('/dashboard/api/portal-session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token }),
      credentials: 'same-origin',
    });
    const answer = (await response.json().catch(() => ({}))) as { data?: DashboardSession; message?: string };
    if (!response.ok || !answer.data) {
      return { kind: 'refused', reason: answer.message ?? `The server answered ${response.status}.` };
    }
    history.replaceState(null, '', homeOf(answer.data));
    return { kind: 'opened', session: answer.data };
  } catch {
    return { kind: 'refused', reason: 'The server cannot be reached.' };
  }
}
