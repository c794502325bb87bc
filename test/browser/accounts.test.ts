/**
 * "Cartera" in real Chromium at tablet width: the accounts as the last run left them, worst first; a search by name
 * without accents, a filter, sorting by a column header from the keyboard, the next page, a row opening the debtor's
 * page, the filtered list downloaded as CSV; and an agency user who sees only the accounts placed with it (and no
 * whole-company pages in the navigation).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/modules/access/create-user.ts';
import { placeWithAgency } from '../../src/modules/access/index.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

const TABLET = { width: 768, height: 1024 } as const;
const ADMIN = { email: 'alma@acme.test', password: 'clave-correcta-123' };
const AGENCY = { email: 'norte@acme.test', password: 'clave-correcta-123' };

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navegación principal' });
const debtorCells = (page: Page) => page.locator('tbody tr td:first-child a');

let server: WebServer;
let browser: Browser;
let downloads: string;

beforeAll(async () => {
  server = await startWebServer({ now: '2026-03-15T18:00:00Z', server: { auth: { secureCookies: false } } });
  const ctx = server.company.ctx;
  const named = [
    { external_id: 'C-1', name: 'María Guadalupe Hernández' },
    { external_id: 'C-2', name: 'Juan Hernández Ruiz' },
    { external_id: 'C-3', name: 'Comercial Ñandú SA' },
  ];
  // 55 more, so the list has a second page of 50.
  const filler = Array.from({ length: 55 }, (_, i) => ({ external_id: `F-${String(i).padStart(2, '0')}`, name: `Cliente Relleno ${i}` }));
  await saveRecords(ctx, { entity: 'debtors', rows: [...named, ...filler] });
  await saveRecords(ctx, {
    entity: 'obligations',
    rows: [
      { external_id: 'O-1', debtor_external_id: 'C-1', currency: 'MXN', amount: '12500.00', due_on: '2025-12-01' },
      { external_id: 'O-2', debtor_external_id: 'C-2', currency: 'MXN', amount: '800.00', due_on: '2026-03-01' },
      { external_id: 'O-3', debtor_external_id: 'C-3', currency: 'MXN', amount: '3000.00', due_on: '2026-02-01' },
      ...filler.map((d, i) => ({ external_id: `OF-${i}`, debtor_external_id: d.external_id, currency: 'MXN', amount: '100.00', due_on: '2026-04-01' })),
    ],
  });
  await runPortfolio(ctx, { asOf: '2026-03-15' });
  await createUser(ctx, { ...ADMIN, name: 'Alma Admin', role: 'admin' });
  await createUser(ctx, { ...AGENCY, name: 'Norte', role: 'agency', agency: 'Despacho Norte' });
  await placeWithAgency(ctx, { debtorExternalId: 'C-2', agency: 'Despacho Norte' });
  browser = await launchBrowser({ viewport: TABLET });
  downloads = await mkdtemp(join(tmpdir(), 'cobranza-downloads-'));
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

describe('Cartera', () => {
  it('finds, filters, sorts and pages accounts, opens a debtor and downloads the list', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, ADMIN);
    await nav(page).getByRole('link', { name: 'Cartera' }).click();
    await page.getByRole('heading', { name: 'Cartera', level: 1 }).waitFor();
    // Worst first: 104 days past due, then 42, then 14; 50 to a page.
    await expect.poll(() => debtorCells(page).count()).toBe(50);
    expect((await debtorCells(page).allInnerTexts()).slice(0, 3)).toEqual(['María Guadalupe Hernández', 'Comercial Ñandú SA', 'Juan Hernández Ruiz']);
    await page.getByText('50 cuentas en esta página · Página 1').waitFor();
    await screenshot(page, import.meta.url, 'accounts-tablet');

    // The next page holds the other 8.
    await page.getByRole('button', { name: 'Siguiente' }).click();
    await page.getByText('8 cuentas en esta página · Página 2').waitFor();
    await page.getByRole('button', { name: 'Anterior' }).click();
    await page.getByText('Página 1').waitFor();

    // A search without accents, submitted with Enter from the keyboard.
    const search = page.getByLabel('Buscar deudor');
    await search.fill('hernandez');
    await search.press('Enter');
    await expect.poll(() => debtorCells(page).allInnerTexts()).toEqual(['María Guadalupe Hernández', 'Juan Hernández Ruiz']);
    expect(page.url()).toContain('q=hernandez');

    // Sorted by name from the column header, with the keyboard.
    const byName = page.getByRole('button', { name: 'Ordenar por Deudor' });
    await byName.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => debtorCells(page).allInnerTexts()).toEqual(['Juan Hernández Ruiz', 'María Guadalupe Hernández']);
    expect(await page.getByRole('columnheader', { name: /Deudor/ }).getAttribute('aria-sort')).toBe('ascending');

    // A filter on top of the search: of the two, only Juan is in the administrative phase.
    await page.getByLabel('Fase').selectOption({ label: 'Administrativa' });
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await expect.poll(() => debtorCells(page).allInnerTexts()).toEqual(['Juan Hernández Ruiz']);

    // The filtered list as CSV.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Descargar CSV' }).click()]);
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe('cuentas.csv');
    const lines = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    // Spanish, as the page is: one amount column per currency, words in Spanish.
    expect(lines[0]).toBe('id_cliente,nombre,cartera,fase,días de atraso,tramo,saldo_MXN,vencido_MXN,segmentos,en pausa,fecha de corte');
    expect(lines[1]).toMatch(/^C-2,Juan Hernández Ruiz,default,administrativa,14,1-30,800\.00,800\.00,/);

    // A row opens the debtor's page.
    await page.getByRole('link', { name: 'Abrir la ficha de Juan Hernández Ruiz' }).click();
    await page.waitForURL(/\/app\/debtors\/C-2$/);
    await page.getByRole('heading', { name: 'Juan Hernández Ruiz', level: 1 }).waitFor();
    // Back keeps the filters (they live in the address).
    await page.goBack();
    await expect.poll(() => debtorCells(page).allInnerTexts()).toEqual(['Juan Hernández Ruiz']);
    expect(await page.getByLabel('Buscar deudor').inputValue()).toBe('hernandez');

    // English on request.
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    await page.getByRole('columnheader', { name: /Days past due/ }).waitFor();
    await page.getByLabel('Language').selectOption('es-MX');
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('shows an agency only the accounts placed with it', async () => {
    const agency = await launchBrowser({ viewport: TABLET });
    try {
      const page = await agency.newPage();
      const console = watchConsole(page);
      await signIn(page, server, AGENCY);
      await page.goto(`${server.url}/app/accounts`);
      await page.getByRole('heading', { name: 'Cartera', level: 1 }).waitFor();
      await expect.poll(() => debtorCells(page).allInnerTexts()).toEqual(['Juan Hernández Ruiz']);
      const search = page.getByLabel('Buscar deudor');
      await search.fill('maria');
      await search.press('Enter');
      await page.getByText('Ninguna cuenta coincide con estos filtros.').waitFor();
      // No export, and none of the pages about the whole company.
      expect(await page.getByRole('link', { name: 'Descargar CSV' }).count()).toBe(0);
      const links = await nav(page).getByRole('link').allInnerTexts();
      expect(links).toContain('Cartera');
      expect(links).not.toContain('Corridas');
      expect(links).not.toContain('Importaciones');
      expect(console.errors).toEqual([]);
    } finally {
      await agency.close();
    }
  });
});
