/**
 * The web app's entry: one React app with two route trees, the back office under /app and the debtor portal under
 * /p/:token. Data is fetched with @tanstack/react-query; strings come from web/src/i18n.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client.ts';
import { appRoutes } from './app/router.tsx';
import { I18nProvider } from './i18n/index.tsx';
import { portalRoutes } from './portal/routes.tsx';
import { NotFound } from './ui/NotFound.tsx';
import './ui/styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A refusal (4xx) will not change by asking again; network trouble and 5xx get one more try.
      retry: (failures, error) => failures < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const router = createBrowserRouter([
  { path: '/', element: <Navigate to="/app" replace /> },
  appRoutes(),
  portalRoutes(),
  { path: '*', Component: NotFound },
]);

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);
