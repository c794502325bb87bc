/**
 * The providers' credentials and compliance pages in real Chromium: an administrator saves Twilio credentials, reloads
 * and sees the token only as "configurado (…last4)" — never in the page's HTML nor in any API response, and only as
 * ciphertext in the database — then opens the compliance page and sees Mexico's contact hours and holidays.
 *
 * The compliance rules editor: an administrator narrows Mexico's Monday hours for written channels and adds a weekly
 * SMS cap, is stopped by a window that ends before it starts, saves, and sees the rules saved (after a reload too,
 * and in the database); then adds and removes a holiday. A supervisor sees the rules read-only.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSettings } from '../../src/db/tables/settings.ts';
import { getComplianceSettings } from '../../src/modules/settings/index.ts';
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
    await reloaded.getByText('configurado (…4831). Déjelo vacío para conservarlo.').waitFor();
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
    // Channels by name, not by the API's key.
    await mx.getByText('Requieren consentimiento expreso: WhatsApp', { exact: true }).waitFor();
    await mx.getByText(/Días festivos de 20\d\d/).waitFor();
    expect(await mx.locator('li').filter({ hasText: /Independencia/ }).count()).toBeGreaterThan(0);
    // An administrator may change them (test/browser/settings-compliance.test.ts edits them).
    await mx.getByRole('button', { name: 'Editar reglas' }).waitFor();
    await screenshot(page, import.meta.url, 'compliance-mx');
    expect(console.errors).toEqual([]);
  }, 120_000);
});

describe('compliance rules editor', () => {
  it('changes a contact window and a cap, sees them saved, and edits the holidays', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, { email: 'alma@acme.test', password: 'clave-correcta-789', role: 'admin', name: 'Alma Admin' });
    await page.goto(`${server.url}/app/settings/compliance?lang=es`);
    await page.getByRole('heading', { name: 'Reglas de contacto y días festivos' }).waitFor();
    const mx = page.locator('section[data-country="MX"]');
    await mx.getByRole('row', { name: 'Lunes 07:00–22:00 07:00–22:00' }).waitFor();
    expect(await page.getByText('Solo lectura').count()).toBe(0);

    await mx.getByRole('button', { name: 'Editar reglas' }).click();
    const editor = mx.getByRole('form', { name: 'Editar las reglas de MX' });
    const mondayWritten = editor.getByLabel('Lunes: Correo, WhatsApp, SMS y cartas');
    expect(await mondayWritten.inputValue()).toBe('07:00–22:00');
    await mondayWritten.fill('09:00–18:00');
    // A window that ends before it starts is marked at its field, and nothing is saved.
    const tuesdayCalls = editor.getByLabel('Martes: Llamadas y visitas');
    await tuesdayCalls.fill('19:00–07:00');
    await editor.getByRole('button', { name: 'Agregar límite' }).click();
    const cap = editor.getByRole('group', { name: 'Límite 1' });
    await cap.getByLabel('Máximo de contactos', { exact: true }).fill('2');
    await cap.getByRole('checkbox', { name: 'SMS' }).check();
    await editor.getByRole('button', { name: 'Guardar reglas' }).click();
    await editor.getByText('Las reglas no se guardaron. Corrija lo señalado.').waitFor();
    expect(await tuesdayCalls.getAttribute('aria-invalid')).toBe('true');
    await editor.getByText('Escriba HH:MM–HH:MM (por ejemplo 07:00–22:00), con el fin después del inicio.').waitFor();
    expect((await getComplianceSettings(server.company.ctx)).countries[0]!.adjustments).toBeNull();
    await screenshot(page, import.meta.url, 'compliance-editor-invalid');

    await tuesdayCalls.fill('07:00–22:00');
    await editor.getByRole('button', { name: 'Guardar reglas' }).click();
    await mx.getByText('Reglas de MX guardadas.').waitFor();
    await mx.getByRole('row', { name: 'Lunes 07:00–22:00 09:00–18:00' }).waitFor();
    await mx.getByRole('row', { name: 'Martes 07:00–22:00 07:00–22:00' }).waitFor();
    await mx.getByText('Máximo 2 por semana — sms').waitFor();
    await mx.getByText('Con ajustes de la empresa').waitFor();

    // Saved: after a reload, and as the gate reads it (only what differs from the built-in set).
    await page.reload();
    await page.locator('section[data-country="MX"]').getByRole('row', { name: 'Lunes 07:00–22:00 09:00–18:00' }).waitFor();
    const saved = (await getComplianceSettings(server.company.ctx)).countries[0]!;
    expect(saved.adjustments?.overrides).toEqual({
      hours: {
        written: [
          { days: [1], from: '09:00', to: '18:00' },
          { days: [2, 3, 4, 5, 6, 7], from: '07:00', to: '22:00' },
        ],
      },
      caps: [{ id: 'max_per_week_1', kind: 'max_per_week', channels: ['sms'], max: 2 }],
    });
    await screenshot(page, import.meta.url, 'compliance-rules-saved');

    // Holidays: add one, then remove it.
    const mxAgain = page.locator('section[data-country="MX"]');
    await mxAgain.getByLabel('Fecha del día festivo').fill('2026-05-02');
    await mxAgain.getByLabel('Nombre del día festivo').fill('Aniversario de la empresa');
    await mxAgain.getByRole('button', { name: 'Agregar día festivo' }).click();
    await mxAgain.getByText(/^Día festivo agregado/).waitFor();
    const added = mxAgain.getByRole('listitem').filter({ hasText: 'Aniversario de la empresa' });
    await added.waitFor();
    await added.getByRole('button', { name: /^Quitar el día festivo del/ }).click();
    await mxAgain.getByText(/^Día festivo quitado/).waitFor();
    expect(await mxAgain.getByRole('listitem').filter({ hasText: 'Aniversario de la empresa' }).count()).toBe(0);
    expect((await getComplianceSettings(server.company.ctx)).countries[0]!.adjustments?.holidays).toBeUndefined();
    expect(console.errors).toEqual([]);
  }, 180_000);

  it('a supervisor sees the rules without the editor', async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await signIn(page, server, { email: 'sara@acme.test', password: 'clave-correcta-456', role: 'supervisor', name: 'Sara Supervisora' });
    await page.goto(`${server.url}/app/settings/compliance?lang=es`);
    await page.getByText('Solo lectura: su rol puede consultar estas reglas pero no cambiarlas.').waitFor();
    await page.locator('section[data-country="MX"]').getByRole('row', { name: 'Lunes 07:00–22:00 09:00–18:00' }).waitFor();
    expect(await page.getByRole('button', { name: 'Editar reglas' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Agregar día festivo' }).count()).toBe(0);
  }, 120_000);
});
