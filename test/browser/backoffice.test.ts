/**
 * A supervisor's day in the back office, in real Chromium on a laptop: "Mi día" of a collector's queue, a debtor's 360,
 * a call logged with a promise (seen on the debtor's promises and timeline, and in the dashboard's promise figures),
 * a report exported as XLSX and opened, and the alerts. Screenshots of each page are kept as artifacts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtors, obligations, payments, portfolios, tasks } from '../../src/db/schema.ts';
import { addDays, type PlainDate } from '../../src/domain/calendar.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { refreshBackOffice } from '../../src/modules/analytics/index.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { recomputeBalances } from '../../src/modules/portfolio/recompute-balances.ts';
import { assignByHand } from '../../src/modules/worklists/index.ts';
import { LAPTOP, launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

const TODAY = '2026-03-15' as PlainDate;
const SUPERVISOR = { email: 'sofia@acme.test', password: 'clave-correcta-123' };

/** The side navigation (the home page links to the same sections). */
const nav = (page: Page) => page.getByRole('navigation', { name: 'Navegación principal' });

let server: WebServer;
let browser: Browser;
let downloads: string;

beforeAll(async () => {
  server = await startWebServer({ now: '2026-03-15T18:00:00Z', server: { auth: { secureCookies: false } } });
  const ctx = server.company.ctx;
  const { db } = server.database;
  const [portfolio] = await db.select().from(portfolios).where(eq(portfolios.companyId, server.company.id));
  const debtor = async (externalId: string, name: string, dpd: number, amount: bigint) => {
    const [d] = await db
      .insert(debtors)
      .values({ companyId: server.company.id, externalId, name, country: 'MX', timeZone: 'America/Mexico_City', email: `${externalId.toLowerCase()}@example.com`, phone: '+525512345678' })
      .returning({ id: debtors.id });
    await db.insert(obligations).values({ companyId: server.company.id, portfolioId: portfolio!.id, debtorId: d!.id, externalId: `${externalId}-1`, currency: 'MXN', amount, balance: amount, dueOn: addDays(TODAY, -dpd), issuedOn: addDays(TODAY, -dpd - 30) });
    return d!.id;
  };
  const rosa = await debtor('D-ROSA', 'Rosa Jiménez', 12, 480_000n);
  await debtor('D-LUIS', 'Luis Ortega', 45, 1_250_000n);
  // Not due yet: the dashboard lists its phase (preventive) and bucket (current) first.
  await debtor('D-NORA', 'Nora Vega', -10, 300_000n);
  const marta = await debtor('D-MARTA', 'Marta Pérez', 5, 90_000n);
  // A payment in a currency Marta does not owe stays unapplied: an alert for treasury and an item of "Mi día".
  await db.insert(payments).values({ companyId: server.company.id, debtorId: marta, externalId: 'P-USD-1', currency: 'USD', amount: 5_000n, unapplied: 5_000n, paidOn: TODAY });
  await recomputeBalances(db, server.company.id, [marta]);
  await runPortfolio(ctx, { asOf: TODAY });
  const { user: collector } = await createUser(ctx, { email: 'gabriel@acme.test', name: 'Gabriel Gestor', role: 'collector', password: 'clave-correcta-123' });
  await createUser(ctx, { email: SUPERVISOR.email, name: 'Sofía Supervisora', role: 'supervisor', password: SUPERVISOR.password });
  await assignByHand(ctx, { debtorExternalIds: ['D-ROSA', 'D-LUIS', 'D-MARTA'], collectorId: collector.id, reason: 'cartera de prueba' });
  await db.insert(tasks).values({ companyId: server.company.id, debtorId: rosa, portfolioId: portfolio!.id, kind: 'call', dueOn: TODAY, cause: 'test:call', idempotencyKey: 'test:call:rosa', note: null, createdAt: server.clock.now() });
  await refreshBackOffice(ctx, { asOf: TODAY });
  browser = await launchBrowser({ viewport: LAPTOP });
  downloads = await mkdtemp(join(tmpdir(), 'cobranza-downloads-'));
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

describe('back office', () => {
  it('works a debtor from "Mi día": a call with a promise shows on the debtor, the dashboard and the export', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, SUPERVISOR);

    // "Mi día" of the collector's queue, in priority order with the reason of each item.
    await nav(page).getByRole('link', { name: 'Mi día' }).click();
    await page.getByRole('heading', { name: 'Mi día' }).waitFor();
    const queue = page.getByLabel('Cola de trabajo');
    const option = await queue.locator('option', { hasText: 'Gestor #' }).first().getAttribute('value');
    await queue.selectOption(option!);
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    // An account with a priority item is not repeated in the portfolio section below it.
    await expect.poll(() => rows.count()).toBe(3);
    const kinds = await page.locator('tbody tr td:first-child').allInnerTexts();
    expect(kinds).toEqual(['Tarea de llamada', 'Pago no aplicado', 'Cartera asignada']);
    expect(await rows.nth(2).innerText()).toContain('Luis Ortega');
    await expect.poll(() => rows.first().innerText()).toContain('Rosa Jiménez');
    // Portfolio items carry the balance, days past due and phase.
    expect(await rows.nth(2).innerText()).toMatch(/\$12,500\.00\s+45\s+Extrajudicial/);
    await screenshot(page, import.meta.url, 'worklist');

    // Debtor 360.
    await page.getByRole('link', { name: 'Abrir Rosa Jiménez' }).first().click();
    await page.getByRole('heading', { name: 'Rosa Jiménez', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Canales de contacto' }).waitFor();
    await page.getByText('Sin promesas.').waitFor();

    // A call with a promise of 1,500.00 on 20 March.
    const form = page.getByRole('form', { name: 'Registrar gestión' });
    await form.getByLabel('Canal').selectOption('call');
    await form.getByLabel('Resultado').selectOption({ label: 'Promesa de pago' });
    await form.getByLabel('Monto prometido').fill('1500.00');
    await form.getByLabel('Fecha de pago prometida').fill('2026-03-20');
    await form.getByLabel('Notas').fill('Paga el viernes con su quincena');
    await form.getByRole('button', { name: 'Guardar gestión' }).click();
    await page.getByText(/Gestión registrada con promesa de \$1,500\.00/).waitFor();
    const promises = page.getByRole('table', { name: 'Promesas de pago' });
    await promises.getByRole('cell', { name: '$1,500.00' }).first().waitFor();
    expect(await promises.locator('tbody tr').count()).toBe(1);
    const timeline = page.getByRole('list', { name: 'Historial' });
    await timeline.locator('li[data-kind="interaction"]').first().waitFor();
    expect(await timeline.locator('li[data-kind="interaction"]').first().innerText()).toMatch(/promesa/i);
    await screenshot(page, import.meta.url, 'debtor-360');

    // The dashboard counts the promise: one right-party contact, one promise taken.
    await nav(page).getByRole('link', { name: 'Tablero' }).click();
    await page.getByRole('heading', { name: 'Tablero de cobranza' }).waitFor();
    const ptp = page.locator('li[data-kpi="promise_to_pay_rate"]');
    await expect.poll(() => ptp.innerText()).toMatch(/100\.0\s?%/);
    // No promise has come due: the kept rate is undefined and shows as "—", never 0.
    expect(await page.locator('li[data-kpi="promise_kept_rate"] .bo-kpi__value').innerText()).toBe('—');
    // KPIs per currency, each with its variant beside it in words: percentages with one decimal, no internal names.
    const mxn = page.getByRole('region', { name: 'En MXN' });
    const delinquency30 = mxn.locator('li[data-kpi="delinquency"][data-variant="threshold_30"]');
    expect(await delinquency30.innerText()).toMatch(/^Morosidad 30\+\s+\d+\.\d\s?%\s+Variante: saldo con 30 o más días de atraso$/);
    expect(await mxn.locator('li[data-kpi="dso"][data-variant="countback"]').innerText()).toMatch(/Variante: por meses hacia atrás \(countback\)$/);
    expect(await mxn.locator('li[data-kpi="roll_rate_current"]').innerText()).toMatch(/^Tasa de rodamiento Al corriente → 1-30\s/);
    const kpiTexts = await page.getByRole('region', { name: 'Indicadores' }).locator('li.bo-kpi').allInnerTexts();
    expect(kpiTexts.filter((text) => /[a-z]+_[a-z0-9]+/.test(text))).toEqual([]);
    expect(kpiTexts.filter((text) => /%/.test(text) && !/\d\.\d\s?%/.test(text))).toEqual([]);
    // Phases and buckets in their order (not alphabetical), the buckets in words.
    const byPhase = page.getByRole('table', { name: 'Cartera por fase y tramo' });
    await byPhase.getByRole('cell').first().waitFor();
    const phaseRows = await byPhase.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent).join(' ')));
    expect(phaseRows).toEqual(['Preventiva Al corriente', 'Administrativa 1-30', 'Extrajudicial 31-60']);
    expect(await page.getByRole('img', { name: 'Saldo por fase (MXN)' }).locator('.recharts-legend-item-text').allTextContents()).toEqual(['Al corriente', '1-30', '31-60']);
    // The recovery chart (the one payment is in dollars) with its days in the reader's language (the week of 9 March), never as ISO dates.
    const recoveryTicks = page.getByRole('img', { name: 'Recuperación en USD' }).locator('.recharts-xAxis-tick-labels text');
    await recoveryTicks.first().waitFor();
    const ticks = await recoveryTicks.allTextContents();
    expect(ticks).toContain('9 mar');
    expect(ticks.filter((tick) => /\d{4}-\d{2}/.test(tick))).toEqual([]);
    const collectors = page.getByRole('table', { name: 'Resultados por gestor' });
    const sofia = collectors.locator('tbody tr', { hasText: 'Sofía Supervisora' });
    expect((await sofia.locator('td').allInnerTexts()).slice(1, 4)).toEqual(['1', '1', '1']);
    await page.getByRole('table', { name: 'Cartera por fase y tramo' }).getByRole('cell').first().waitFor();
    await screenshot(page, import.meta.url, 'dashboard');

    // Export the KPIs as XLSX and read the file.
    await page.getByLabel('Reporte').selectOption('kpis');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Descargar XLSX' }).click()]);
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^kpis-.*\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(['indicador', 'moneda', 'valor', 'variante', 'fórmula']);
    const values: Array<unknown[]> = [];
    sheet.eachRow((row, n) => {
      if (n > 1) values.push((row.values as unknown[]).slice(1));
    });
    const ptpRow = values.find((r) => r[0] === 'promise_to_pay_rate');
    expect(ptpRow?.[2]).toBe(100);
    expect(values.find((r) => r[0] === 'dso' && r[1] === 'MXN')).toBeDefined();

    // Filtered by portfolio and currency: the contact figures follow the portfolio and say they count every currency;
    // the collectors' cost, not split by portfolio, says so beside the table.
    const filters = page.getByRole('form', { name: 'Filtros' });
    await filters.getByLabel('Cartera').selectOption('default');
    await filters.getByLabel('Moneda').selectOption('MXN');
    await filters.getByRole('button', { name: 'Aplicar' }).click();
    await expect.poll(() => ptp.innerText()).toContain('Sin filtrar por moneda');
    expect(await ptp.innerText()).toMatch(/100\.0\s?%/);
    const contact = page.getByRole('region', { name: /Contacto y promesas/ });
    expect(await contact.getByRole('note').innerText()).toMatch(/^Tasa de contacto, .*: sin filtrar por moneda\. Los contactos, las promesas y los mensajes no tienen moneda/);
    await page.getByRole('note').filter({ hasText: 'Costo y costo por peso recuperado: sin filtrar por cartera.' }).waitFor();
    await screenshot(page, import.meta.url, 'dashboard-filtered');

    // Alerts: the unapplied payment, for treasury.
    await nav(page).getByRole('link', { name: 'Alertas' }).click();
    await page.getByRole('heading', { name: 'Alertas', level: 1 }).waitFor();
    const unapplied = page.locator('[data-kind="unapplied_payment"]');
    await unapplied.getByRole('heading', { name: /Pagos no aplicados/ }).waitFor();
    await unapplied.getByRole('link', { name: 'Abrir deudor D-MARTA' }).waitFor();
    await screenshot(page, import.meta.url, 'alerts');

    // English on request.
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await page.getByLabel('Language').selectOption('es-MX');
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it("shows a collector their own list, without other collectors' queues, in Spanish or English", async () => {
    // A tablet, as collectors on the road use it.
    const own = await launchBrowser({ viewport: { width: 820, height: 1180 } });
    try {
      const page = await own.newPage();
      const console = watchConsole(page);
      await signIn(page, server, { email: 'gabriel@acme.test', password: 'clave-correcta-123' });
      await page.goto(`${server.url}/app/worklist?lang=es`);
      await page.getByRole('heading', { name: 'Mi día' }).waitFor();
      await page.getByRole('link', { name: 'Abrir Luis Ortega' }).waitFor();
      expect(await page.getByLabel('Cola de trabajo').count()).toBe(0);
      // The call was logged and its task is still the strategy's: Rosa stays first.
      expect(await page.locator('tbody tr td:first-child').first().innerText()).toBe('Tarea de llamada');
      await screenshot(page, import.meta.url, 'worklist-tablet');
      await page.getByRole('link', { name: 'Abrir Rosa Jiménez' }).click();
      await page.getByRole('heading', { name: 'Rosa Jiménez', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Promesas de pago' }).getByRole('cell', { name: 'Vigente' }).waitFor();
      await screenshot(page, import.meta.url, 'debtor-360-tablet');
      await page.goto(`${server.url}/app/worklist`);
      await page.getByLabel('Idioma').selectOption('en');
      await page.getByRole('heading', { name: 'My day' }).waitFor();
      await page.getByText('Call task').first().waitFor();
      await page.getByRole('columnheader', { name: 'Days past due' }).waitFor();
      await page.getByLabel('Language').selectOption('es-MX');
      expect(console.errors).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it("lets an administrator set a collector's monthly cost, and shows the cost per peso recovered on the dashboard", async () => {
    const admin = await launchBrowser({ viewport: LAPTOP });
    try {
      const page = await admin.newPage();
      const console = watchConsole(page);
      await signIn(page, server, { email: 'ana@acme.test', password: 'clave-correcta-123', role: 'admin', name: 'Ana Admin' });
      await nav(page).getByRole('link', { name: 'Costos de gestores' }).click();
      await page.getByRole('heading', { name: 'Costos de gestores', level: 1 }).waitFor();
      const form = page.getByRole('form', { name: /Gabriel Gestor/ });
      await form.getByLabel('Costo mensual').fill('300,00');
      await form.getByText('Escriba un monto con punto decimal').waitFor();
      await form.getByLabel('Costo mensual').fill('300.00');
      await form.getByLabel('Moneda').fill('USD');
      // A cost applies from a date: today in the company's time zone unless another is chosen.
      expect(await form.getByLabel('Desde').inputValue()).toBe('2026-03-15');
      await form.getByRole('button', { name: 'Guardar costo' }).click();
      await page.getByText('Costo de Gabriel Gestor guardado.').waitFor();
      const history = page.getByRole('list', { name: /Historial de costos de Gabriel Gestor/ });
      await history.getByText(/^Desde el 15 mar 2026/).waitFor();
      // A raise from 1 April joins the history; today's cost stays, and removing the raise leaves the first one.
      await form.getByLabel('Costo mensual').fill('450.00');
      await form.getByLabel('Desde').fill('2026-04-01');
      await form.getByRole('button', { name: 'Guardar costo' }).click();
      await history.getByText(/^Desde el 1 abr 2026/).waitFor();
      expect(await history.getByRole('listitem').count()).toBe(2);
      await screenshot(page, import.meta.url, 'collector-costs');
      await history.getByRole('button', { name: 'Quitar el costo desde el 1 abr 2026' }).click();
      await expect.poll(() => history.getByRole('listitem').count()).toBe(1);

      // The default period, 16 December to 15 March, holds three whole months of 300.00 USD (16/31 + 15/31 of one
      // of them), against the 50.00 USD Gabriel's queue received: 18 USD of cost per USD recovered.
      await nav(page).getByRole('link', { name: 'Tablero' }).click();
      await page.getByRole('heading', { name: 'Tablero de cobranza' }).waitFor();
      const table = page.getByRole('table', { name: 'Resultados por gestor' });
      await table.getByRole('columnheader', { name: 'Costo por peso recuperado' }).waitFor();
      const gabriel = table.locator('tbody tr', { hasText: 'Gabriel Gestor' });
      const cost = gabriel.locator('td[data-kpi="cost_per_peso_recovered"]');
      await expect.poll(() => cost.innerText()).toMatch(/^18 por cada USD recuperado\s+Variante: costo mensual prorrateado$/);
      expect(await gabriel.locator('td').nth(7).innerText()).toContain('900.00');
      // No cost configured for Sofía: "—", with the variant saying why.
      const sofia = table.locator('tbody tr', { hasText: 'Sofía Supervisora' }).locator('td[data-kpi="cost_per_peso_recovered"]');
      expect(await sofia.innerText()).toMatch(/^—\s+Variante: sin costo configurado$/);
      await screenshot(page, import.meta.url, 'dashboard-costs');
      expect(console.errors).toEqual([]);
    } finally {
      await admin.close();
    }
  });
});
