/**
 * "Corridas" in real Chromium at tablet width: an administrator starts the day's run from the keyboard and sees it
 * finish with its figures; an earlier date is refused with the portfolio that stands in the way and a way to force
 * it, which the administrator takes; a run in progress shows as such (its stage and running time) until it ends; a supervisor is told only an
 * administrator may force; a viewer sees the runs without the form.
 */
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/modules/access/create-user.ts';
import { createRun, parseAsOf } from '../../src/modules/collection-runs/index.ts';
import { trackRun } from '../../src/modules/collection-runs/run-liveness.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

const TABLET = { width: 768, height: 1024 } as const;
const PASSWORD = 'clave-correcta-123';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navegación principal' });
const history = (page: Page) => page.locator('tbody tr[data-run]');

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer({ now: '2026-03-15T18:00:00Z', server: { auth: { secureCookies: false } } });
  const ctx = server.company.ctx;
  await saveRecords(ctx, { entity: 'debtors', rows: [{ external_id: 'R-1', name: 'Uno SA' }, { external_id: 'R-2', name: 'Dos SA' }] });
  await saveRecords(ctx, {
    entity: 'obligations',
    rows: [
      { external_id: 'RO-1', debtor_external_id: 'R-1', currency: 'MXN', amount: '100.00', due_on: '2026-03-01' },
      { external_id: 'RO-2', debtor_external_id: 'R-2', currency: 'MXN', amount: '200.00', due_on: '2026-01-01' },
    ],
  });
  for (const role of ['admin', 'supervisor', 'viewer'] as const) await createUser(ctx, { email: `${role}@acme.test`, name: `Usuario ${role}`, role, password: PASSWORD });
  browser = await launchBrowser({ viewport: TABLET });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Corridas', () => {
  it('starts a run, refuses an earlier date until an administrator forces it, and follows a run in progress', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, { email: 'admin@acme.test', password: PASSWORD });
    await nav(page).getByRole('link', { name: 'Corridas' }).click();
    await page.getByRole('heading', { name: 'Corridas diarias', level: 1 }).waitFor();
    await page.getByText('default: sin corridas').waitFor();
    await page.getByText('Todavía no hay corridas.').waitFor();

    // From the keyboard: the date, then Enter.
    const asOf = page.getByLabel('Fecha de corte');
    await asOf.fill('2026-03-15');
    await asOf.press('Enter');
    await page.getByText(/^La corrida \d+ comenzó/).waitFor();
    await page.getByText(/^La corrida \d+ al 15 .+ 2026 terminó: 2 cuentas, \d+ cambios? de fase\.$/).waitFor({ timeout: 30_000 });
    await expect.poll(() => history(page).first().getAttribute('data-status')).toBe('succeeded');
    expect(await history(page).first().innerText()).toMatch(/Terminada[\s\S]*\b2\b[\s\S]*Administrativa 1 · Extrajudicial 1/);
    await page.getByText(/Última corrida de default: 15 .+ 2026/).waitFor();

    // An earlier date: refused, naming the portfolio and its last run, with the way out for an administrator.
    await asOf.fill('2026-03-10');
    await page.getByRole('button', { name: 'Iniciar corrida' }).click();
    const warning = page.getByRole('alert').filter({ hasText: 'Esa fecha es anterior a la última corrida' });
    await warning.getByText(/"default" ya se corrió al 15 .+ 2026/).waitFor();
    await screenshot(page, import.meta.url, 'out-of-order');
    await warning.getByRole('button', { name: /^Forzar la corrida al 10 / }).click();
    await page.getByText(/^La corrida \d+ al 10 .+ 2026 terminó/).waitFor({ timeout: 30_000 });
    expect(await history(page).first().innerText()).toMatch(/10 .+ 2026\s+forzada/);
    expect(await history(page).count()).toBe(2);

    // A run in progress in this server process (e.g. the scheduler's) shows as such, with what it is doing and for how
    // long, and the page notices when it ends.
    const runId = await createRun(server.company.ctx, { asOf: parseAsOf('2026-03-16'), portfolioId: null, forced: false });
    const tracker = trackRun(server.company.ctx, runId);
    tracker.progress({ stage: 'accounts' });
    server.clock.advance(65_000);
    await page.reload();
    const progress = page.getByRole('progressbar', { name: new RegExp(`^Corrida ${runId} al 16 .+ 2026 en proceso$`) });
    await progress.waitFor();
    await page.getByText(/^Calculando las cuentas · desde .+ · 1 min 05 s$/).waitFor();
    await page.locator(`tbody tr[data-run="${runId}"]`).getByText('En proceso').waitFor();
    await screenshot(page, import.meta.url, 'running');
    await server.database.query(sql`
      UPDATE runs SET status = 'succeeded', finished_at = now(), stats = ${JSON.stringify({ accounts: 2, phaseChanges: 0, byPhase: { administrative: 1, extrajudicial: 1 }, portfolios: ['default'] })}::jsonb
       WHERE id = ${runId}`);
    await tracker.stop();
    await expect.poll(() => page.locator(`tbody tr[data-run="${runId}"]`).getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded');
    expect(await page.getByRole('progressbar').count()).toBe(0);
    // The browser logs the refused request (409) itself; nothing else may go wrong.
    expect(console.errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
    await page.close();
  });

  it('tells a supervisor only an administrator may force, and shows a viewer the runs without the form', async () => {
    const supervisor = await launchBrowser({ viewport: TABLET });
    try {
      const page = await supervisor.newPage();
      const console = watchConsole(page);
      await signIn(page, server, { email: 'supervisor@acme.test', password: PASSWORD });
      await page.goto(`${server.url}/app/runs`);
      await page.getByLabel('Fecha de corte').fill('2026-03-01');
      await page.getByRole('button', { name: 'Iniciar corrida' }).click();
      const warning = page.getByRole('alert').filter({ hasText: 'Esa fecha es anterior a la última corrida' });
      await warning.getByText('Solo un administrador puede forzar una fecha anterior.').waitFor();
      expect(await warning.getByRole('button').count()).toBe(0);
      expect(console.errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
    } finally {
      await supervisor.close();
    }
    const viewer = await launchBrowser({ viewport: TABLET });
    try {
      const page = await viewer.newPage();
      await signIn(page, server, { email: 'viewer@acme.test', password: PASSWORD });
      await nav(page).getByRole('link', { name: 'Corridas' }).click();
      await expect.poll(() => history(page).count()).toBeGreaterThanOrEqual(3);
      expect(await page.getByRole('heading', { name: 'Iniciar una corrida' }).count()).toBe(0);
      expect(await nav(page).getByRole('link', { name: 'Importaciones' }).count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });
});
