/**
 * The providers' credentials and compliance pages in real Chromium: an administrator saves Twilio credentials, reloads
 * and sees the token only as "configurado (…last4)" — never in the page's HTML nor in any API response, and only as
 * ciphertext in the database — then opens the compliance page and sees Mexico's contact hours and holidays.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSettings } from '../../src/db/tables/settings.ts';
import { LAPTOP, launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

const TOKEN = 'tw-secret-auth-token-b7c9e2f41a3d5c6e4831';
const SID = `AC${'5f3a9c1e7b2d4a6c'.repeat(2)}`;

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer({ server: { auth: { secureCookies: false } } });
  browser = await launchBrowser({ viewport: LAPTOP });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('providers and compliance settings', () => {
  it('saves Twilio credentials without ever showing the token again, and shows Mexico’s contact rules', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    const apiBodies: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/settings/')) void response.text().then((body) => apiBodies.push(body), () => undefined);
    });
    await signIn(page, server, { email: 'ana@acme.test', password: 'clave-correcta-123', role: 'admin', name: 'Ana Admin' });
    await page.goto(`${server.url}/app/settings/providers?lang=es`);
    await page.getByRole('heading', { name: 'Proveedores y credenciales' }).waitFor();

    const twilio = page.locator('section[data-provider="twilio"]');
    await twilio.getByText('sin configurar').waitFor();
    await twilio.getByLabel('Account SID', { exact: true }).fill(SID);
    await twilio.getByLabel('Remitente', { exact: true }).fill('+525512345678');
    await twilio.getByLabel('Auth token').fill(TOKEN);
    expect(await twilio.getByLabel('Auth token').getAttribute('type')).toBe('password');
    await twilio.getByRole('button', { name: 'Guardar' }).click();
    await twilio.getByText('Credenciales guardadas.').waitFor();
    await twilio.getByText('configurado (…4831)').waitFor();
    // The form forgets the typed token once saved.
    expect(await twilio.getByLabel('Auth token').inputValue()).toBe('');

    await page.reload();
    const reloaded = page.locator('section[data-provider="twilio"]');
    await reloaded.getByText('configurado (…4831). Déjalo vacío para conservarlo.').waitFor();
    expect(await reloaded.getByLabel('Account SID', { exact: true }).inputValue()).toBe(SID);
    expect(await reloaded.getByLabel('Auth token').inputValue()).toBe('');
    await screenshot(page, import.meta.url, 'providers-saved');
    expect(await page.content()).not.toContain(TOKEN);

    // The database holds only ciphertext; the API answers (PUT and both GETs) never carried the token.
    const [row] = await server.database.db.select().from(providerSettings).where(eq(providerSettings.companyId, server.company.id));
    expect(row?.secrets.auth_token?.last4).toBe('4831');
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    await expect.poll(() => apiBodies.filter((b) => b.includes('"provider":"twilio"')).length).toBeGreaterThanOrEqual(3);
    for (const body of apiBodies) expect(body).not.toContain(TOKEN);

    await page.goto(`${server.url}/app/settings/compliance?lang=es`);
    await page.getByRole('heading', { name: 'Reglas de contacto y días festivos' }).waitFor();
    const mx = page.locator('section[data-country="MX"]');
    await mx.getByRole('heading', { name: /^MX · México/ }).waitFor();
    await mx.getByRole('row', { name: 'Lunes 07:00–22:00 07:00–22:00' }).waitFor();
    await mx.getByRole('row', { name: 'Domingo 07:00–22:00 07:00–22:00' }).waitFor();
    await mx.getByText('Requieren consentimiento expreso: whatsapp').waitFor();
    await mx.getByText(/Días festivos de 20\d\d/).waitFor();
    expect(await mx.locator('li').filter({ hasText: /Independencia/ }).count()).toBeGreaterThan(0);
    await page.getByText('Solo lectura').waitFor();
    await screenshot(page, import.meta.url, 'compliance-mx');
    expect(console.errors).toEqual([]);
  }, 120_000);
});
