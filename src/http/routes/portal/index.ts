/** The debtor portal's API, registered in its own public scope: the link's token is the credential. */
import type { App, RouteDeps } from '../../app.ts';
import { portalAgreementRoute } from './agreement.route.ts';
import { portalContactRoutes } from './contact.route.ts';
import { getPortalRoute } from './get-portal.route.ts';
import { portalLetterRoute } from './letter.route.ts';
import { portalNegotiationRoutes } from './negotiate.route.ts';
import { portalPaymentRoutes } from './pay.route.ts';
import { verifyIdentityRoute } from './verify-identity.route.ts';

export { managePortalRoutes } from './manage-portal.route.ts';

/** /portal/api/:token/… */
export function portalRoutes(app: App, deps: RouteDeps): void {
  getPortalRoute(app, deps);
  verifyIdentityRoute(app, deps);
  portalPaymentRoutes(app, deps);
  portalNegotiationRoutes(app, deps);
  portalContactRoutes(app, deps);
  portalLetterRoute(app, deps);
  portalAgreementRoute(app, deps);
}
