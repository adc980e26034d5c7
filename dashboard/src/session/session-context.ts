import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { DashboardSession } from '../api/api-types';

export interface SessionValue {
  api: ApiClient;
  session: DashboardSession;
  productName: string;
  /** Operators (a `manage` token) also see Temporal links and bulk replay. */
  isOperator: boolean;
  /** Where the brand and the first crumb lead: the projects, or a portal's project or route. */
  home: string;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

/** The signed-in session; every screen but sign-in is drawn inside one. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in screen');
  return value;
}
