import { useCallback, useMemo, useState } from 'react';
import { Route, Routes, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../i18n/index.tsx';
import { ErrorView, LanguageSwitch, Loading } from '../ui/index.ts';
import { NotFound } from '../ui/NotFound.tsx';
import { linkProblem, loadSession, portalApi, saveSession } from './api.ts';
import { PortalContext, type PortalContextValue } from './context.tsx';
import { IdentityCheck } from './IdentityCheck.tsx';
import { LinkProblem } from './LinkProblem.tsx';
import { PortalHome } from './PortalHome.tsx';
import { PayPage } from './PayPage.tsx';
import { PromisePage } from './PromisePage.tsx';
import { PlanPage } from './PlanPage.tsx';
import { DisputePage } from './DisputePage.tsx';
import { ContactPage } from './ContactPage.tsx';
import './portal.css';

/**
 * The debtor portal under /p/:token. The token opens it; the identity check (when the company asks one) comes
 * before anything about the debt is shown; then the account and its actions, each on its own address so the phone's
 * back button works.
 */
export function PortalApp() {
  const { token = '' } = useParams();
  const { t } = useI18n();
  const [session, setSessionState] = useState<string | null>(() => loadSession(token));
  const setSession = useCallback(
    (value: string | null) => {
      saveSession(token, value);
      setSessionState(value);
    },
    [token],
  );
  const api = useMemo(() => portalApi(token, session), [token, session]);
  const query = useQuery({ queryKey: ['portal', token, session], queryFn: () => api.view(), retry: false });

  let body;
  const problem = linkProblem(query.error);
  if (query.isPending) body = <Loading />;
  else if (problem) body = <LinkProblem problem={problem} />;
  else if (query.isError) body = <ErrorView error={query.error} retry={() => void query.refetch()} />;
  else if (!query.data.identity.verified || !query.data.account) {
    body = <IdentityCheck view={query.data} api={api} onPassed={setSession} />;
  } else {
    const context: PortalContextValue = {
      token,
      api,
      view: query.data,
      account: query.data.account,
      refresh: () => query.refetch(),
      dropSession: () => setSession(null),
      href: (path = '') => `/p/${token}${path ? `/${path}` : ''}`,
    };
    body = (
      <PortalContext.Provider value={context}>
        <Routes>
          <Route index element={<PortalHome />} />
          <Route path="pagar" element={<PayPage />} />
          <Route path="prometer" element={<PromisePage />} />
          <Route path="plan" element={<PlanPage />} />
          <Route path="aclarar/:obligationId" element={<DisputePage />} />
          <Route path="datos" element={<ContactPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </PortalContext.Provider>
    );
  }

  return (
    <div className="portal">
      <a className="skip-link" href="#portal-main">
        {t('common.skipToContent')}
      </a>
      <header className="portal__bar">
        <span className="portal__brand">{query.data?.creditor ?? t('portal.title')}</span>
        <LanguageSwitch />
      </header>
      <main id="portal-main" className="container container--narrow stack" tabIndex={-1}>
        {body}
      </main>
    </div>
  );
}
