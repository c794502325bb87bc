/** The debtor portal's route tree under /p/:token. */
import type { RouteObject } from 'react-router';
import { Loading } from '../ui/Spinner.tsx';

/** The /p/:token route tree; the portal loads as its own bundle. */
export function portalRoutes(): RouteObject {
  return {
    path: '/p/:token/*',
    // Shown while the portal's code loads; without it react-router warns on every load.
    HydrateFallback: Loading,
    lazy: async () => ({ Component: (await import('./PortalApp.tsx')).PortalApp }),
  };
}
