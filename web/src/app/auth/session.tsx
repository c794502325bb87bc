/**
 * Who is signed in, for the back office: `useSession()` reads GET /auth/me (cached by react-query);
 * `<RequireSession permission="users:manage">` sends a visitor without a session to the sign-in page (coming back
 * here afterwards) and shows a refusal when the role lacks the permission; `<SessionMenu />` shows the user and
 * signs out. The server checks every request itself: these only keep the pages honest about what will work.
 */
import type { ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Alert, Button, ErrorView, Loading } from '../../ui/index.ts';

/** GET /auth/me. */
export interface Me {
  kind: 'user' | 'api_key';
  actor: string;
  role: string;
  permissions: string[];
  user: { id: number; email: string; name: string; role: string; agency: string | null } | null;
  company: { id: number; slug: string; name: string; locale: string };
}

export const SESSION_QUERY = ['auth', 'me'] as const;

/** The signed-in principal; `data` is null when nobody is signed in. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_QUERY,
    queryFn: async () => {
      try {
        return await api.get<Me>('/auth/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Renders its children only for a signed-in user whose role holds `permission` (when given). */
export function RequireSession({ permission, children }: { permission?: string; children: ReactNode }) {
  const { t } = useI18n();
  const location = useLocation();
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorView error={session.error} retry={() => void session.refetch()} />;
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/app/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (permission && !session.data.permissions.includes(permission)) {
    return (
      <div className="container">
        <Alert kind="warning">{t('auth.forbidden')}</Alert>
      </div>
    );
  }
  return <>{children}</>;
}

/** The signed-in user's email and a sign-out button. */
export function SessionMenu() {
  const { t } = useI18n();
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  if (!session.data) return null;
  const signOut = async () => {
    await api.post('/auth/sign-out').catch(() => undefined);
    queryClient.clear();
    await navigate('/app/sign-in', { replace: true });
  };
  return (
    <div className="row">
      <span className="field__hint">{t('auth.menu.signedInAs', { email: session.data.actor })}</span>
      <Button variant="link" onClick={() => void signOut()}>
        {t('auth.menu.signOut')}
      </Button>
    </div>
  );
}

/** Where to go after signing in: the `next` page when it is one of ours, else the back office's home. */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/app') && !next.startsWith('//') ? next : '/app';
}
