/**
 * Signing in to the back office the way a person does (the sign-in page, the session cookie), for browser tests of
 * pages behind the session. The server must run with `auth: { secureCookies: false }` (plain http on loopback).
 */
import type { Page } from 'playwright-core';
import { createUser } from '../../../src/modules/access/create-user.ts';
import type { Principal } from '../../../src/modules/shared/context.ts';
import type { WebServer } from './server.ts';

export interface Credentials {
  email: string;
  password: string;
  /** When given, the user is created first (in the server's test company) with this role. */
  role?: Principal['role'];
  name?: string;
}

/**
 * Creates the user when `role` is given, signs in on `page` and waits until the app has left the sign-in page. A page
 * already on the sign-in page (sent there by the app) signs in where it is, so the app's `next` address is kept.
 */
export async function signIn(page: Page, server: WebServer, credentials: Credentials): Promise<void> {
  if (credentials.role) {
    await createUser(server.company.ctx, {
      email: credentials.email,
      name: credentials.name ?? credentials.email.split('@')[0]!,
      role: credentials.role,
      password: credentials.password,
      ...(credentials.role === 'agency' ? { agency: 'Despacho Norte' } : {}),
    });
  }
  if (!page.url().startsWith(`${server.url}/app/sign-in`)) await page.goto(`${server.url}/app/sign-in?lang=es`);
  await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
  await page.getByLabel('Correo electrónico').fill(credentials.email);
  await page.getByLabel('Contraseña').fill(credentials.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/app/sign-in'));
}
