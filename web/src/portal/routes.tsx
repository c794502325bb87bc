/** The debtor portal's route tree under /p/:token. */
import type { RouteObject } from 'react-router';

/** The /p/:token route tree; the portal loads as its own bundle. */
export function portalRoutes(): RouteObject {
  return {
    path: '/p/:token/*',
    lazy: async () => ({ Component: (await import('./PortalApp.tsx')).PortalApp }),
  };
}
