/** Turns appPages into react-router routes under /app: pages with the shell, bare pages beside it. */
import type { RouteObject } from 'react-router';
import { NotFound } from '../ui/NotFound.tsx';
import { Loading } from '../ui/Spinner.tsx';
import { AppLayout } from './AppLayout.tsx';
import { appPages, type AppPage } from './routes.tsx';

function toRoute(page: AppPage): RouteObject {
  const lazy = async () => ({ Component: (await page.load()).default });
  return page.path === '' ? { index: true, lazy } : { path: page.path, lazy };
}

/** The /app route tree. */
export function appRoutes(): RouteObject {
  return {
    path: '/app',
    // Shown while the first page's code loads (its routes are lazy); without it react-router warns on every load.
    HydrateFallback: Loading,
    children: [
      ...appPages.filter((p) => p.bare).map(toRoute),
      { Component: AppLayout, children: [...appPages.filter((p) => !p.bare).map(toRoute), { path: '*', Component: NotFound }] },
    ],
  };
}
