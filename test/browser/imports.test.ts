/**
 * "Importaciones" in real Chromium at tablet width: a debtors file goes up with a progress bar (the upload is slowed
 * down so the bar can be seen), the server imports it in the background and the page follows it to "Completada"; a bad
 * payments file ends "Rechazada" with every problem as "línea N: columna: motivo" and a CSV of them; a running import
 * shows how far it got and updates by itself when it ends; leaving the page and coming back finds the history.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/modules/access/create-user.ts';
import { createImport } from '../../src/modules/portfolio/index.ts';
import { releaseImport } from '../../src/modules/portfolio/import-liveness.ts';
import { launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

const TABLET = { width: 768, height: 1024 } as const;
const ADMIN = { email: 'ines@acme.test', password: 'clave-correcta-123' };

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navegación principal' });

let server: WebServer;
let browser: Browser;
let downloads: string;

beforeAll(async () => {
  server = await startWebServer({ now: '2026-03-15T18:00:00Z', server: { auth: { secureCookies: false } } });
  await createUser(server.company.ctx, { ...ADMIN, name: 'Inés Admin', role: 'admin' });
  browser = await launchBrowser({ viewport: TABLET });
  downloads = await mkdtemp(join(tmpdir(), 'cobranza-downloads-'));
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

async function debtorCount(): Promise<number> {
  const [row] = await server.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM debtors WHERE company_id = ${server.company.id}`);
  return row!.n;
}

describe('Importaciones', () => {
  it('uploads with progress, imports in the background, and shows every problem of a bad file', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, ADMIN);
    await nav(page).getByRole('link', { name: 'Importaciones' }).click();
    await page.getByRole('heading', { name: 'Importaciones', level: 1 }).waitFor();
    await page.getByText('Todavía no hay importaciones.').waitFor();

    // 3,000 debtors (~120 KB) over a link slowed to 40 KB/s, so the upload bar is seen moving.
    const lines = ['id_cliente;nombre;estado'];
    for (let i = 0; i < 3000; i++) lines.push(`IMP-${String(i).padStart(4, '0')};Deudor importado número ${i};Jalisco`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 40 * 1024 });
    await page.getByLabel('Qué contiene el archivo').selectOption('debtors');
    await page.getByLabel('Archivo', { exact: true }).setInputFiles({ name: 'deudores.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await page.getByLabel('Separador (CSV)').selectOption(';');
    await page.getByRole('button', { name: 'Subir e importar' }).click();
    const upload = page.getByRole('progressbar', { name: 'Subiendo el archivo' });
    await upload.waitFor();
    await expect.poll(async () => Number(await upload.getAttribute('value')), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(Number(await upload.getAttribute('value'))).toBeLessThan(Number(await upload.getAttribute('max')));
    await page.getByText(/de 1\d\d(\.\d)? KB/).first().waitFor();
    await screenshot(page, import.meta.url, 'uploading');
    await page.getByText('Archivo recibido. La importación sigue en el servidor').waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    const card = page.locator('section[data-import]');
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    await card.getByText('Se importaron 3,000 filas: 3,000 nuevas, 0 actualizadas y 0 sin cambios.').waitFor();
    await card.getByText(/Iniciada por ines@acme\.test/).waitFor();
    expect(await debtorCount()).toBe(3000);
    const history = page.getByRole('table');
    await history.getByRole('cell', { name: 'deudores.csv' }).waitFor();
    await history.getByText('Completada').waitFor();

    // A payments file with two bad rows, sent from the keyboard: rejected, nothing written, each problem listed.
    const bad = ['id_pago,id_cliente,monto,moneda,fecha_pago', 'P-1,IMP-0001,100.00,MXN,2026-03-01', 'P-2,IMP-0002,-5,MXN,2026-03-01', 'P-3,NO-EXISTE,10.00,MXN,2026-02-30'].join('\n');
    await page.getByLabel('Qué contiene el archivo').selectOption('payments');
    await page.getByLabel('Archivo', { exact: true }).setInputFiles({ name: 'pagos.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByLabel('Separador (CSV)').selectOption('');
    await page.getByRole('button', { name: 'Subir e importar' }).focus();
    await page.keyboard.press('Enter');
    const rejected = page.locator('section[data-import][data-status="rejected"]');
    await rejected.waitFor({ timeout: 30_000 });
    await rejected.getByText(/El archivo tiene \d problemas y no se importó nada/).waitFor();
    const problems = await rejected.getByRole('listitem').allInnerTexts();
    expect(problems.length).toBeGreaterThanOrEqual(2);
    for (const p of problems) expect(p).toMatch(/^línea \d+: [a-z_]+: .+/);
    expect(problems.some((p) => p.startsWith('línea 3: monto:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('línea 4: fecha_pago:'))).toBe(true);
    const [payments] = await server.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM payments WHERE company_id = ${server.company.id}`);
    expect(payments!.n).toBe(0);
    await screenshot(page, import.meta.url, 'rejected');
    const [download] = await Promise.all([page.waitForEvent('download'), rejected.getByRole('link', { name: 'Descargar los problemas (CSV)' }).click()]);
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    const report = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(report[0]).toBe('línea,columna,motivo');
    expect(report.length - 1).toBe(problems.length);

    // Leave and come back: the history is still there, newest first.
    await nav(page).getByRole('link', { name: 'Cartera' }).click();
    await page.getByRole('heading', { name: 'Cartera', level: 1 }).waitFor();
    await nav(page).getByRole('link', { name: 'Importaciones' }).click();
    await page.getByRole('table').getByRole('cell', { name: 'pagos.csv' }).waitFor();
    expect(await page.locator('tbody tr td:nth-child(4)').allInnerTexts()).toEqual(['Rechazada', 'Completada']);
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('shows how far a running import got and updates by itself when it ends', async () => {
    // An import running in this server process (as after an upload), half-way through its file.
    const id = await createImport(server.company.ctx, { entity: 'obligations', fileName: 'documentos.csv', dryRun: false, fileBytes: 1000 });
    await server.database.query(sql`UPDATE imports SET rows = 5000, bytes_read = 400 WHERE id = ${id}`);
    const own = await launchBrowser({ viewport: TABLET });
    try {
      const page = await own.newPage();
      const console = watchConsole(page);
      await signIn(page, server, ADMIN);
      await page.goto(`${server.url}/app/imports?import=${id}`);
      const card = page.locator(`section[data-import="${id}"]`);
      const bar = card.getByRole('progressbar', { name: 'Importando' });
      await bar.waitFor();
      expect(Number(await bar.getAttribute('value'))).toBeCloseTo(0.4);
      await card.getByText(/^5,000 filas leídas · 40\s?% del archivo$/).waitFor();
      await page.locator(`tbody tr[data-import="${id}"]`).getByText('En proceso').waitFor();
      await screenshot(page, import.meta.url, 'running');

      await server.database.query(sql`
        UPDATE imports SET status = 'completed', rows = 9000, inserted = 9000, bytes_read = 1000, finished_at = now() WHERE id = ${id}`);
      releaseImport(server.database, id);
      await card.getByText('Se importaron 9,000 filas: 9,000 nuevas, 0 actualizadas y 0 sin cambios.').waitFor();
      expect(await card.getByRole('progressbar').count()).toBe(0);
      await page.locator(`tbody tr[data-import="${id}"]`).getByText('Completada').waitFor();
      expect(console.errors).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
