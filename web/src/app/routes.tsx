/**
 * The back office's pages, one line each. A page is a module under web/src/app/<area>/ whose default export is the
 * page component; it loads on first visit (its own bundle). Fields:
 * - `path`: under /app (no leading slash; params as in react-router: 'debtors/:id').
 * - `load`: `() => import('./<area>/<Page>.tsx')`.
 * - `nav`: message key of its entry in the side navigation (leave out for pages reached by links, e.g. a detail page).
 * - `permission`: the permission the page needs (src/modules/access/permissions.ts), so the navigation can hide it.
 * - `bare`: render without the shell (no navigation), e.g. the sign-in page.
 * - `wholeCompany`: the page shows figures about the whole company, so roles that see only the accounts placed with
 *   them (agencies) do not get it in the navigation (the API refuses them those figures).
 * Order is the navigation's order.
 */
import type { ComponentType } from 'react';

export interface AppPage {
  path: string;
  load: () => Promise<{ default: ComponentType }>;
  nav?: string;
  permission?: string;
  bare?: boolean;
  wholeCompany?: boolean;
}

export const appPages: AppPage[] = [
  { path: '', load: () => import('./home/HomePage.tsx'), nav: 'app.nav.home' },
  { path: 'worklist', load: () => import('./worklist/WorklistPage.tsx'), nav: 'worklist.nav', permission: 'worklist:read' },
  { path: 'debtors/:id', load: () => import('./debtor/DebtorPage.tsx'), permission: 'portfolio:read' },
  { path: 'accounts', load: () => import('./accounts/AccountsPage.tsx'), nav: 'accounts.nav', permission: 'portfolio:read' },
  { path: 'imports', load: () => import('./imports/ImportsPage.tsx'), nav: 'imports.nav', permission: 'portfolio:write' },
  { path: 'runs', load: () => import('./runs/RunsPage.tsx'), nav: 'runs.nav', permission: 'portfolio:read', wholeCompany: true },
  { path: 'dashboard', load: () => import('./dashboard/DashboardPage.tsx'), nav: 'dashboard.nav', permission: 'reports:read' },
  { path: 'alerts', load: () => import('./alerts/AlertsPage.tsx'), nav: 'alerts.nav', permission: 'worklist:read' },
  { path: 'sign-in', load: () => import('./auth/SignInPage.tsx'), bare: true },
  { path: 'forgot-password', load: () => import('./auth/ForgotPasswordPage.tsx'), bare: true },
  { path: 'reset-password', load: () => import('./auth/ResetPasswordPage.tsx'), bare: true },
  { path: 'settings/users', load: () => import('./settings/users/UsersPage.tsx'), nav: 'users.nav', permission: 'users:manage' },
  { path: 'settings/users/:id', load: () => import('./settings/users/EditUserPage.tsx'), permission: 'users:manage' },
  { path: 'settings/segments', load: () => import('./settings/segments/SegmentsPage.tsx'), nav: 'settings.segments.nav', permission: 'settings:write' },
  { path: 'settings/negotiation', load: () => import('./settings/negotiation/PolicyPage.tsx'), nav: 'settings.policy.nav', permission: 'settings:write' },
  { path: 'settings/strategies', load: () => import('./settings/strategies/StrategiesPage.tsx'), nav: 'settings.strategies.nav', permission: 'strategies:read' },
  { path: 'settings/costs', load: () => import('./settings/costs/CollectorCostsPage.tsx'), nav: 'costs.nav', permission: 'settings:write' },
  { path: 'settings/phases', load: () => import('./settings/phases/PhasesPage.tsx'), nav: 'settings.phases.nav', permission: 'settings:write' },
  { path: 'settings/providers', load: () => import('./settings/providers/ProvidersPage.tsx'), nav: 'settings.providers.nav', permission: 'settings:write' },
  { path: 'settings/compliance', load: () => import('./settings/compliance/CompliancePage.tsx'), nav: 'settings.compliance.nav', permission: 'strategies:read' },
];
