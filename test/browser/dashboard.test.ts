/**
 * The dashboard read by a supervisor in Spanish (and English), in real Chromium on a laptop: a KPI's explanation in
 * the reader's language when the card is hovered or focused, and the charts' tooltips and axes with amounts as money
 * of their own currency (one chart per currency) and counts in words.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type PlainDate } from '../../src/domain/calendar.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { refreshBackOffice } from '../../src/modules/analytics/index.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { LAPTOP, launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

const TODAY = '2026-03-15' as PlainDate;
const SUPERVISOR = { email: 'rocio@acme.test', password: 'clave-correcta-123' };

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer({ now: '2026-03-15T18:00:00Z', server: { auth: { secureCookies: false } } });
  const ctx = server.company.ctx;
  await saveRecords(ctx, {
    entity: 'debtors',
    rows: [
      { external_id: 'D-1', name: 'Ana Torres' },
      { external_id: 'D-2', name: 'Beto Ruiz' },
      { external_id: 'D-3', name: 'Carla Díaz' },
      { external_id: 'D-4', name: 'Dora Núñez' },
    ],
  });
  const due = (dpd: number) => addDays(TODAY, -dpd);
  await saveRecords(ctx, {
    entity: 'obligations',
    rows: [
      { external_id: 'F-1', debtor_external_id: 'D-1', currency: 'MXN', amount: '12345.67', issued_on: due(75), due_on: due(45) },
      { external_id: 'F-2', debtor_external_id: 'D-2', currency: 'MXN', amount: '5000.00', issued_on: due(20), due_on: due(-10) },
      { external_id: 'F-3', debtor_external_id: 'D-3', currency: 'USD', amount: '100000.00', issued_on: due(42), due_on: due(12) },
      { external_id: 'F-4', debtor_external_id: 'D-4', currency: 'MXN', amount: '3000.00', issued_on: due(35), due_on: due(5) },
    ],
  });
  await saveRecords(ctx, {
    entity: 'payments',
    rows: [
      { external_id: 'P-1', debtor_external_id: 'D-4', currency: 'MXN', amount: '1500.00', paid_on: addDays(TODAY, -3) },
      { external_id: 'P-2', debtor_external_id: 'D-3', currency: 'USD', amount: '38000.00', paid_on: addDays(TODAY, -3) },
    ],
  });
  await runPortfolio(ctx, { asOf: TODAY });
  await refreshBackOffice(ctx, { asOf: TODAY });
  await createUser(ctx, { email: SUPERVISOR.email, name: 'Rocío Supervisora', role: 'supervisor', password: SUPERVISOR.password });
  browser = await launchBrowser({ viewport: LAPTOP });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The text of the tooltip a chart shows while the pointer is over one of its bars. */
async function tooltipOver(page: Page, chart: string, bar = 0): Promise<string> {
  const figure = page.getByRole('img', { name: chart, exact: true });
  await figure.locator('.recharts-bar-rectangle').nth(bar).hover();
  const tooltip = figure.locator('.recharts-tooltip-wrapper');
  await expect.poll(() => tooltip.innerText()).not.toBe('');
  return (await tooltip.innerText()).replace(/\s+/g, ' ').trim();
}

describe('dashboard', () => {
  it('explains each KPI in Spanish on hover and on focus, and in English when the page is in English', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, SUPERVISOR);
    await page.goto(`${server.url}/app/dashboard`);
    const mxn = page.getByRole('region', { name: 'En MXN' });
    const dso = mxn.locator('li[data-kpi="dso"][data-variant="period"]');
    await dso.waitFor();
    const explanation = dso.getByRole('tooltip');
    expect(await explanation.isVisible()).toBe(false);
    await dso.hover();
    await explanation.waitFor();
    expect(await explanation.innerText()).toBe('DSO = saldo por cobrar al cierre ÷ ventas a crédito del periodo × días del periodo (CRF).');
    await screenshot(page, import.meta.url, 'kpi-explanation');

    // Keyboard: the card takes the focus and shows its explanation; a screen reader hears it as the description.
    const delinquency = mxn.locator('li[data-kpi="delinquency"][data-variant="threshold_30"]');
    await delinquency.focus();
    await delinquency.getByRole('tooltip').waitFor();
    expect(await delinquency.getByRole('tooltip').innerText()).toBe('Morosidad = saldo con 30 o más días de atraso ÷ saldo total × 100.');
    expect(await delinquency.getAttribute('aria-describedby')).toBe(await delinquency.getByRole('tooltip').getAttribute('id'));

    // No KPI is explained with the API's English formula.
    const sent = await page.evaluate(async () => (await (await fetch('/dashboard')).json()) as { kpis: Array<{ formula: string }> });
    const english = new Set(sent.kpis.map((k) => k.formula));
    const shown = await page.locator('li.bo-kpi [role="tooltip"]').allTextContents();
    expect(shown.length).toBe(sent.kpis.length);
    expect(shown.filter((text) => english.has(text) || /\b(balance|sales|days|rate|attempts|accounts)\b/.test(text))).toEqual([]);

    await page.goto(`${server.url}/app/dashboard?lang=en`);
    const inEnglish = page.getByRole('region', { name: 'In MXN' }).locator('li[data-kpi="dso"][data-variant="period"]');
    await inEnglish.hover();
    expect(await inEnglish.getByRole('tooltip').innerText()).toBe('DSO = ending receivables ÷ credit sales of the period × days in the period (CRF).');
    await page.goto(`${server.url}/app/dashboard?lang=es`);
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('names every phase of the portfolio charts on a phone', async () => {
    const phone = await launchBrowser();
    try {
      const page = await phone.newPage();
      await signIn(page, server, SUPERVISOR);
      await page.goto(`${server.url}/app/dashboard`);
      for (const name of ['Saldo por fase (MXN)', 'Cuentas por fase']) {
        const chart = page.getByRole('img', { name, exact: true });
        await chart.locator('.recharts-bar-rectangle').first().waitFor();
        await chart.scrollIntoViewIfNeeded();
        const labels = await chart.locator('.recharts-cartesian-axis-tick-value').allTextContents();
        expect(['Preventiva', 'Administrativa', 'Extrajudicial'].filter((phase) => !labels.includes(phase))).toEqual([]);
        // …and none is cut at the chart's edges.
        const frame = (await chart.locator('.recharts-wrapper > svg.recharts-surface').boundingBox())!;
        for (const label of await chart.locator('.recharts-cartesian-axis-tick-value').all()) {
          const box = (await label.boundingBox())!;
          expect(box.x).toBeGreaterThanOrEqual(frame.x);
          expect(box.x + box.width).toBeLessThanOrEqual(frame.x + frame.width + 1);
        }
      }
      await screenshot(page, import.meta.url, 'phone-charts');
    } finally {
      await phone.close();
    }
  });

  it('shows amounts in the charts as money of their currency, and counts in words', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, SUPERVISOR);
    await page.goto(`${server.url}/app/dashboard`);

    // Balance by phase, MXN: the exact balance in pesos, never the bare number; the axis short, in pesos.
    const balance = page.getByRole('img', { name: 'Saldo por fase (MXN)' });
    await balance.locator('.recharts-bar-rectangle').first().waitFor();
    const extrajudicial = await tooltipOver(page, 'Saldo por fase (MXN)', 2);
    expect(extrajudicial).toBe('Extrajudicial 31-60: $12,345.67');
    const ticks = await balance.locator('.recharts-xAxis-tick-labels text').allTextContents();
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks.filter((tick) => !/^\$\d+(\.\d)?( k| M)?$/.test(tick.replace(/\s/g, ' ')))).toEqual([]);
    expect(ticks).toContain('$0');

    // Accounts by phase: a count in words with its plural.
    expect(await tooltipOver(page, 'Cuentas por fase', 0)).toBe('Preventiva Al corriente: 1 cuenta');

    // Recovery: one chart per currency, each amount in its own currency with its payments.
    const mxn = await tooltipOver(page, 'Recuperación en MXN');
    expect(mxn).toBe('Semana del 9 mar 2026 Recuperado: $1,500.00 (1 pago)');
    const usd = await tooltipOver(page, 'Recuperación en USD');
    expect(usd.replace(/\s/g, ' ')).toBe('Semana del 9 mar 2026 Recuperado: USD 38,000.00 (1 pago)');
    const usdChart = page.getByRole('img', { name: 'Recuperación en USD' });
    const usdTicks = await usdChart.locator('.recharts-yAxis-tick-labels text').allTextContents();
    expect(usdTicks.filter((tick) => !/^USD\s\d+(\.\d)?( k| M)?$/.test(tick.replace(/\s/g, ' ')))).toEqual([]);
    expect(usdTicks.map((tick) => tick.replace(/\s/g, ' '))).toContain('USD 9.5 k');
    // Every step fits on the axis: none starts left of the chart (cut off).
    for (const chart of await page.locator('.bo-chart svg.recharts-surface').all()) {
      const left = (await chart.boundingBox())!.x;
      for (const tick of await chart.locator('.recharts-yAxis-tick-labels text').all()) expect((await tick.boundingBox())!.x).toBeGreaterThanOrEqual(left);
    }
    await screenshot(page, import.meta.url, 'charts');

    // The same in English.
    await page.goto(`${server.url}/app/dashboard?lang=en`);
    await page.getByRole('img', { name: 'Balance by phase (MXN)' }).locator('.recharts-bar-rectangle').first().waitFor();
    expect(await tooltipOver(page, 'Balance by phase (MXN)', 2)).toBe('Extrajudicial 31-60: MX$12,345.67');
    expect(await tooltipOver(page, 'Recovery in USD')).toBe('Week of Mar 9, 2026 Collected: $38,000.00 (1 payment)');
    await page.goto(`${server.url}/app/dashboard?lang=es`);
    expect(console.errors).toEqual([]);
    await page.close();
  });
});
