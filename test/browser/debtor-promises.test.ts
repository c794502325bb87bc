/**
 * A promise to pay from the debtor 360, as a collector and a supervisor do it in real Chromium on a laptop: the amount
 * is checked as typed and the promise against the negotiation policy before saving; one outside the policy goes for
 * approval, a second live one is explained, the supervisor approves it, and the collector can cancel it. Around it,
 * the page speaks Spanish where it used to show the API's keys and English messages: obligation kinds, who took a
 * promise, timeline summaries, a refused page for a role without the permission, a debtor that does not exist.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtors, obligations, portfolios } from '../../src/db/schema.ts';
import { addDays, type PlainDate } from '../../src/domain/calendar.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { LAPTOP, launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

const TODAY = '2026-03-15' as PlainDate;
const PASSWORD = 'clave-correcta-123';
const COLLECTOR = { email: 'gabriel@acme.test', password: PASSWORD };
const SUPERVISOR = { email: 'sofia@acme.test', password: PASSWORD };

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer({ now: '2026-03-15T18:00:00Z', server: { auth: { secureCookies: false } } });
  const { db } = server.database;
  const [portfolio] = await db.select().from(portfolios).where(eq(portfolios.companyId, server.company.id));
  const [d] = await db
    .insert(debtors)
    .values({ companyId: server.company.id, externalId: 'D-ROSA', name: 'Rosa Jiménez', country: 'MX', timeZone: 'America/Mexico_City', email: 'rosa@example.com', phone: '+525512345678' })
    .returning({ id: debtors.id });
  // 10,000.00 MXN overdue: the default policy wants a promise of at least 20 % (2,000.00) within 15 days.
  await db.insert(obligations).values({ companyId: server.company.id, portfolioId: portfolio!.id, debtorId: d!.id, externalId: 'D-ROSA-1', currency: 'MXN', amount: 1_000_000n, balance: 1_000_000n, dueOn: addDays(TODAY, -40), issuedOn: addDays(TODAY, -70) });
  await runPortfolio(server.company.ctx, { asOf: TODAY });
  await createUser(server.company.ctx, { email: COLLECTOR.email, name: 'Gabriel Gestor', role: 'collector', password: PASSWORD });
  await createUser(server.company.ctx, { email: SUPERVISOR.email, name: 'Sofía Supervisora', role: 'supervisor', password: PASSWORD });
  browser = await launchBrowser({ viewport: LAPTOP });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Console warnings too: react-router's missing-fallback warning is one. */
function watchWarnings(page: Page): string[] {
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  return warnings;
}

async function openRosa(page: Page) {
  await page.goto(`${server.url}/app/debtors/D-ROSA?lang=es`);
  await page.getByRole('heading', { name: 'Rosa Jiménez', level: 1 }).waitFor();
  return page.getByRole('form', { name: 'Registrar gestión' });
}

describe('a promise to pay from the debtor 360', () => {
  it('checks the amount and the policy as typed, sends one outside the policy for approval, and the supervisor approves it', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    const warnings = watchWarnings(page);
    await signIn(page, server, COLLECTOR);
    const form = await openRosa(page);
    const save = form.locator('button[type="submit"]');

    // Side by side, the channel and the outcome line up.
    const [channelBox, outcomeBox] = [await form.getByText('Canal', { exact: true }).boundingBox(), await form.getByText('Resultado', { exact: true }).boundingBox()];
    expect(outcomeBox!.y).toBe(channelBox!.y);
    // Obligation kinds in words, not the API's keys.
    await page.getByRole('cell', { name: 'Factura', exact: true }).waitFor();

    await form.getByLabel('Resultado').selectOption({ label: 'Promesa de pago' });
    await form.getByLabel('Fecha de pago prometida').fill('2026-03-20');
    await form.getByLabel('Monto prometido').fill('mil pesos');
    await form.getByText('Escriba el monto con números, por ejemplo 1250.50.').waitFor();
    expect(await save.isDisabled()).toBe(true);
    await form.getByLabel('Monto prometido').fill('500.255');
    await form.getByText('El monto tiene más decimales de los que admite MXN.').waitFor();
    expect(await save.isDisabled()).toBe(true);

    // Below the policy's minimum: the policy's reason, and the button says the promise goes for approval.
    await form.getByLabel('Monto prometido').fill('$500');
    await form.getByText('Fuera de la política: necesita aprobación (supervisión)').waitFor();
    await form.getByText(/El monto mínimo de una promesa es 2000\.00 MXN/).waitFor();
    await screenshot(page, import.meta.url, 'promise-needs-approval');
    await save.click();
    await form.getByText('Gestión registrada; la promesa de $500.00 para el 20 mar 2026 quedó en espera de aprobación.').waitFor();
    const promises = page.getByRole('table', { name: 'Promesas de pago' });
    await promises.getByRole('cell', { name: 'Por aprobar' }).waitFor();
    await promises.getByRole('cell', { name: 'Gestor', exact: true }).waitFor();
    // The collector may cancel it, but only a supervisor decides on it.
    await promises.getByRole('button', { name: 'Cancelar la promesa del 20 mar 2026' }).waitFor();
    expect(await promises.getByRole('button', { name: /Aprobar/ }).count()).toBe(0);
    const timeline = page.getByRole('list', { name: 'Historial' });
    await timeline.getByText('Gestión por llamada: promesa de pago (promesa de 500.00 MXN para el 20 mar 2026)').waitFor();

    // A second promise in the same currency would be refused: the form says why before anything is sent.
    await form.getByLabel('Resultado').selectOption({ label: 'Promesa de pago' });
    await form.getByLabel('Monto prometido').fill('3000');
    await form.getByLabel('Fecha de pago prometida').fill('2026-03-25');
    await form.getByText(/Ya hay una promesa vigente o por aprobar en esta moneda \(\$500\.00 para el 20 mar 2026\)/).waitFor();
    expect(await save.isDisabled()).toBe(true);
    expect(console.errors).toEqual([]);
    expect(warnings.filter((w) => /HydrateFallback/.test(w))).toEqual([]);

    const supervisor = await browser.newPage();
    await signIn(supervisor, server, SUPERVISOR);
    await openRosa(supervisor);
    const list = supervisor.getByRole('table', { name: 'Promesas de pago' });
    await list.getByRole('button', { name: 'Aprobar la promesa del 20 mar 2026' }).click();
    await list.getByRole('cell', { name: 'Vigente' }).waitFor();
    // The approved promise holds collection: the timeline says so in words and calendar dates.
    await supervisor.getByRole('list', { name: 'Historial' }).getByText(/Suspensión por promesa de pago desde el 15 mar 2026 hasta el \d{1,2} mar 2026/).waitFor();
    // So does the approval itself.
    await supervisor.getByRole('list', { name: 'Historial' }).locator('li[data-kind="promise"]', { hasText: 'Promesa de pago de 500.00 MXN para el 20 mar 2026 aprobada' }).getByText('Promesa', { exact: true }).waitFor();
    await screenshot(supervisor, import.meta.url, 'promise-approved');

    // Back with the collector: cancelling frees the currency for a new promise.
    await page.reload();
    await promises.getByRole('cell', { name: 'Vigente' }).waitFor();
    await promises.getByRole('button', { name: 'Cancelar la promesa del 20 mar 2026' }).click();
    await promises.getByRole('cell', { name: 'Cancelada' }).waitFor();
    await page.getByRole('list', { name: 'Historial' }).getByText('Promesa de pago de 500.00 MXN para el 20 mar 2026 cancelada').waitFor();
    await form.getByLabel('Resultado').selectOption({ label: 'Promesa de pago' });
    await form.getByLabel('Monto prometido').fill('3000');
    await form.getByLabel('Fecha de pago prometida').fill('2026-03-25');
    await form.getByText('Dentro de la política').waitFor();
    await form.getByRole('button', { name: 'Guardar gestión' }).click();
    await form.getByText('Gestión registrada con promesa de $3,000.00 para el 25 mar 2026.').waitFor();
    expect(console.errors).toEqual([]);
    await supervisor.close();
    await page.close();
  });

  it("tells a role a page is not theirs before asking the API, and a missing debtor in the reader's language", async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/imports')) apiCalls.push(r.url());
    });
    await signIn(page, server, COLLECTOR);
    // Imports need portfolio:write, which a collector lacks: the shell refuses the page instead of an API 403.
    await page.goto(`${server.url}/app/imports?lang=es`);
    await page.getByText('Su rol no permite ver esta página.').waitFor();
    expect(apiCalls).toEqual([]);

    await page.goto(`${server.url}/app/debtors/NO-EXISTE?lang=es`);
    // The API answers in the UI's language (the app sends it in Accept-Language), naming what is missing.
    await page.getByText('No existe el deudor "NO-EXISTE".').waitFor();
    expect(await page.getByText(/does not exist/).count()).toBe(0);
    // Asking again cannot find it: no retry button.
    expect(await page.getByRole('button', { name: 'Reintentar' }).count()).toBe(0);
    expect(console.errors.filter((e) => !/404/.test(e))).toEqual([]);
    await page.close();
  });

  it('keeps whole-company pages from an agency, which sees only the accounts placed with it', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    const runCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/runs')) runCalls.push(r.url());
    });
    await signIn(page, server, { email: 'despacho@acme.test', password: PASSWORD, role: 'agency', name: 'Diana Despacho' });
    await page.goto(`${server.url}/app/runs?lang=es`);
    await page.getByText('Su rol no permite ver esta página.').waitFor();
    expect(runCalls).toEqual([]);
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('dates a payment and a phase by their day, without a time, also for a debtor in another time zone', async () => {
    const ctx = server.company.ctx;
    // Tijuana is an hour or two behind the company (Mexico City): the start of a company day is the evening before there.
    await saveRecords(ctx, { entity: 'debtors', rows: [{ external_id: 'D-TIJ', name: 'Tomás Ibarra', region: 'BC' }] });
    await saveRecords(ctx, { entity: 'obligations', rows: [{ external_id: 'D-TIJ-1', debtor_external_id: 'D-TIJ', currency: 'MXN', amount: '5000.00', due_on: addDays(TODAY, -20) }] });
    await saveRecords(ctx, { entity: 'payments', rows: [{ external_id: 'D-TIJ-P1', debtor_external_id: 'D-TIJ', currency: 'MXN', amount: '1000.00', paid_on: '2026-03-12' }] });
    await runPortfolio(ctx, { asOf: TODAY });
    const page = await browser.newPage();
    await signIn(page, server, SUPERVISOR);
    await page.goto(`${server.url}/app/debtors/D-TIJ?lang=es`);
    const timeline = page.getByRole('list', { name: 'Historial' });
    await timeline.locator('li[data-kind="payment"]').waitFor();
    expect(await timeline.locator('li[data-kind="payment"] time').innerText()).toBe('12 mar 2026');
    expect(await timeline.locator('li[data-kind="phase"] time').innerText()).toBe('15 mar 2026');
    await page.close();
  });
});
