/** What every portal page gets: the link's API (with the session), the current view, and ways to refresh it. */
import { createContext, useContext } from 'react';
import type { PortalAccount, PortalClient, PortalView } from './api.ts';

export interface PortalContextValue {
  token: string;
  api: PortalClient;
  view: PortalView;
  account: PortalAccount;
  /** Reloads the account after an action. */
  refresh(): Promise<unknown>;
  /** Forgets the session (the server said it is over) so the identity check shows again. */
  dropSession(): void;
  /** `/p/<token>` + path. */
  href(path?: string): string;
}

export const PortalContext = createContext<PortalContextValue | null>(null);

/** The portal context; only inside a verified portal. */
export function usePortal(): PortalContextValue {
  const value = useContext(PortalContext);
  if (!value) throw new Error('usePortal must be used inside the verified portal');
  return value;
}
