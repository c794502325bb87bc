import { useState } from 'react';
import { Link, matchPath, NavLink, Outlet, useLocation } from 'react-router';
import { useI18n } from '../i18n/index.tsx';
import { Alert, LanguageSwitch } from '../ui/index.ts';
import { RequireSession, SessionMenu, useSession } from './auth/session.tsx';
import { appPages, type AppPage } from './routes.tsx';
import './home/backoffice.css';

/** The shell page whose path matches the address, so its declared permission can be checked before it loads. */
function pageAt(pathname: string) {
  const rest = pathname.replace(/^\/app\/?/, '');
  // matchPath compares rooted paths: a pattern without its leading slash never matches.
  return appPages.find((p) => !p.bare && p.path !== '' && matchPath({ path: `/${p.path}`, end: true }, `/${rest}`)) ?? appPages.find((p) => p.path === '' && rest === '');
}

/**
 * The back office's frame: a top bar (brand, menu button on phones, signed-in user, language), the navigation built
 * from appPages' `nav` entries the session's role may open, and the page. Everything in the shell needs a session:
 * a visitor goes to the sign-in page first (bare pages such as sign-in live outside the shell). The navigation
 * closes after a choice so the page is visible on a phone.
 */
export function AppLayout() {
  const location = useLocation();
  return (
    <RequireSession>
      <Shell page={pageAt(location.pathname)} />
    </RequireSession>
  );
}

function Shell({ page }: { page: AppPage | undefined }) {
  const permission = page?.permission;
  const { t } = useI18n();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const [lastPath, setLastPath] = useState(location.pathname);
  if (lastPath !== location.pathname) {
    setLastPath(location.pathname);
    setOpen(false);
  }
  const granted = session.data?.permissions ?? [];
  // Agencies see only the accounts placed with them: whole-company pages are not theirs (the API refuses them too).
  const scoped = session.data?.role === 'agency';
  const entries = appPages.filter((p) => p.nav && !p.bare && (!p.permission || granted.includes(p.permission)) && !(p.wholeCompany && scoped));
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="shell__bar">
        <div className="row">
          <button
            type="button"
            className="button button--link shell__menu-button"
            aria-expanded={open}
            aria-controls="app-nav"
            onClick={() => setOpen((v) => !v)}
          >
            ☰ {t('common.menu')}
          </button>
          <Link to="/app" className="shell__brand">
            {t('common.appName')}
          </Link>
        </div>
        <div className="row">
          <SessionMenu />
          <LanguageSwitch />
        </div>
      </header>
      <div className="shell__body">
        <nav id="app-nav" className="shell__nav" data-open={open} aria-label={t('app.nav.label')}>
          <ul>
            {entries.map((p) => (
              <li key={p.path}>
                <NavLink to={p.path === '' ? '/app' : `/app/${p.path}`} end={p.path === ''}>
                  {t(p.nav as string)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="shell__main" tabIndex={-1}>
          {page?.wholeCompany && scoped ? (
            <div className="container">
              <Alert kind="warning">{t('auth.forbidden')}</Alert>
            </div>
          ) : permission ? (
            <RequireSession permission={permission}>
              <Outlet />
            </RequireSession>
          ) : (
            <Outlet />
          )}
        </main>
      </div>
    </>
  );
}
