/**
 * The web app shell in real Chromium: pages load from the server; the back office asks for a session first, then shows
 * the navigation the role may use, the signed-in user and the language switch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

let server: WebServer;
let browser: Browser;

const ADMIN = { email: 'ana@acme.test', password: 'clave-correcta-123' };
const COLLECTOR = { email: 'gestor@acme.test', password: 'clave-correcta-123' };

beforeAll(async () => {
  // Plain http on loopback: the session cookie cannot be Secure there.
  server = await startWebServer({ server: { auth: { secureCookies: false } } });
  browser = await launchBrowser();
  const page = await browser.newPage();
  await signIn(page, server, { ...ADMIN, role: 'admin', name: 'Ana Admin' });
  await page.close();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('web app shell', () => {
  it('serves the back office in Spanish, switches to English and remembers it', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.url()).toBe(`${server.url}/app`);
    await page.getByRole('heading', { name: 'Le damos la bienvenida' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es-MX');
    // On a phone the navigation is behind the menu button.
    await expect.poll(() => page.getByRole('link', { name: 'Inicio' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: /Menú/ }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Inicio' }).isVisible()).toBe(true);
    await screenshot(page, import.meta.url, 'app-home-es');

    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('sends a visitor without a session to sign in, and back to the page asked for afterwards', async () => {
    const visitor = await launchBrowser();
    try {
      const page = await visitor.newPage();
      const console = watchConsole(page);
      await page.goto(`${server.url}/app/alerts?lang=es`);
      await expect.poll(() => page.url()).toContain('/app/sign-in?next=');
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
      // Nothing of the shell shows before signing in.
      expect(await page.locator('#app-nav').count()).toBe(0);
      await signIn(page, server, { ...COLLECTOR, role: 'collector', name: 'Gabriel Gestor' });
      await expect.poll(() => page.url()).toBe(`${server.url}/app/alerts?lang=es`);
      await page.getByRole('heading', { name: 'Alertas' }).waitFor();
      // A collector's navigation has "Mi día" but not the administrators' user settings (users:manage).
      await page.getByRole('button', { name: /Menú/ }).click();
      await page.getByRole('link', { name: 'Mi día' }).waitFor();
      expect(await page.getByRole('link', { name: 'Usuarios' }).count()).toBe(0);
      await page.getByText('gestor@acme.test').waitFor();
      // The only failed request is the session check before signing in.
      expect(console.errors.filter((e) => !/401/.test(e))).toEqual([]);
      expect(console.errors.length).toBeLessThanOrEqual(1);
    } finally {
      await visitor.close();
    }
  });

  it('shows a not-found page inside the shell for an unknown back-office address', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/no-such-page?lang=es`);
    await page.getByRole('heading', { name: 'Página no encontrada' }).waitFor();
    // On a phone the navigation is collapsed, but it is there: the page is inside the shell.
    await page.locator('#app-nav').waitFor({ state: 'attached' });
    await page.close();
  });

  it('caches hashed assets for a year and never caches the page', async () => {
    const pageResponse = await fetch(`${server.url}/p/some-token`);
    expect(pageResponse.status).toBe(200);
    expect(pageResponse.headers.get('cache-control')).toBe('no-cache');
    expect(pageResponse.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await pageResponse.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const assetResponse = await fetch(`${server.url}${asset}`);
    expect(assetResponse.status).toBe(200);
    expect(assetResponse.headers.get('cache-control')).toContain('immutable');
    expect(assetResponse.headers.get('cache-control')).toContain('max-age=31536000');
    expect((await fetch(`${server.url}/assets/missing-file.js`)).status).toBe(404);
    // The API keeps answering JSON beside the pages.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('lays the back office out with a sidebar on a laptop', async () => {
    const wide = await launchBrowser({ viewport: LAPTOP });
    try {
      const page = await wide.newPage();
      await signIn(page, server, ADMIN);
      await page.goto(`${server.url}/app?lang=es`);
      await expect.poll(() => page.getByRole('link', { name: 'Inicio' }).isVisible()).toBe(true);
      await screenshot(page, import.meta.url, 'app-home-laptop');
    } finally {
      await wide.close();
    }
  });
});
