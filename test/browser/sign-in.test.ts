/** Signing in to the back office in real Chromium: a wrong password is refused on the page, the right one lands in the app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/modules/access/create-user.ts';
import { launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  // Plain http on loopback, as `cobranza start` serves a laptop demo: the cookie cannot be Secure there.
  server = await startWebServer({ server: { auth: { secureCookies: false } } });
  await createUser(server.company.ctx, { email: 'ana@acme.test', name: 'Ana Admin', role: 'admin', password: 'clave-correcta-123' });
  await createUser(server.company.ctx, { email: 'gestor@acme.test', name: 'Gabriel Gestor', role: 'collector', password: 'clave-correcta-123' });
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('sign in', () => {
  it('shows an error for a wrong password and lands in the app with the right one', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await page.goto(`${server.url}/app/sign-in?lang=es`);
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await page.getByLabel('Correo electrónico').fill('ana@acme.test');
    await page.getByLabel('Contraseña').fill('no-es-la-clave');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').filter({ hasText: 'El correo o la contraseña no son correctos.' }).waitFor();
    expect(page.url()).toContain('/app/sign-in');
    await screenshot(page, import.meta.url, 'sign-in-wrong-password');

    await page.getByLabel('Contraseña').fill('clave-correcta-123');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect.poll(() => page.url()).toBe(`${server.url}/app`);
    await page.getByRole('heading', { name: 'Le damos la bienvenida' }).waitFor();
    const cookies = await browser.context.cookies(server.url);
    expect(cookies.find((c) => c.name === 'cobranza_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The wrong password's 401 is the only failed request the page made.
    expect(console.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await page.close();
  });

  it('lets an administrator list and add users, and sends others to sign in first', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/settings/users?lang=es`);
    await page.getByRole('cell', { name: 'gestor@acme.test', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Agregar usuario' }).click();
    await page.getByLabel('Nombre').fill('Sofía Supervisora');
    await page.getByLabel('Correo electrónico').fill('sofia@acme.test');
    await page.getByLabel('Rol').selectOption('supervisor');
    await page.getByRole('button', { name: 'Crear usuario' }).click();
    await page.getByText('Usuario sofia@acme.test creado.').waitFor();
    await page.getByRole('cell', { name: 'sofia@acme.test', exact: true }).waitFor();
    await screenshot(page, import.meta.url, 'settings-users');

    await browser.context.clearCookies();
    await page.goto(`${server.url}/app/settings/users?lang=es`);
    await expect.poll(() => page.url()).toContain('/app/sign-in?next=');
    await page.getByLabel('Correo electrónico').fill('gestor@acme.test');
    await page.getByLabel('Contraseña').fill('clave-correcta-123');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByText('Su rol no permite ver esta página.').waitFor();
    await page.close();
  });
});
