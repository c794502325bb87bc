/**
 * Payment plans and moving work in the back office, in real Chromium on a laptop: a collector offers a plan within the
 * policy from the debtor 360 and sees its schedule and agreement; an offer outside a policy that allows no exceptions
 * is refused with the reason (Spanish and English); an offer outside a policy with exceptions goes to a supervisor,
 * who approves it; a supervisor moves a debtor from one collector's queue to another's, and the history is kept.
 */
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtors, obligations, portfolios } from '../../src/db/schema.ts';
import { assignments } from '../../src/db/tables/worklists.ts';
import { addDays, type PlainDate } from '../../src/domain/calendar.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { refreshBackOffice } from '../../src/modules/analytics/index.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { setPolicy } from '../../src/modules/negotiation/index.ts';
import { assignByHand, setCollector } from '../../src/modules/worklists/index.ts';
import { LAPTOP, launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

const TODAY = '2026-03-15' as PlainDate;
const PASSWORD = 'clave-correcta-123';
const COLLECTOR = { email: 'gabriel@acme.test', password: PASSWORD };
const SUPERVISOR = { email: 'sofia@acme.test', password: PASSWORD };

let server: WebServer;
let browser: Browser;
let gabriel: number;
let ana: number;

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
  };
  await debtor('D-ROSA', 'Rosa Jiménez', 12, 480_000n);
  await debtor('D-LUIS', 'Luis Ortega', 45, 1_250_000n);
  await debtor('D-TOMAS', 'Tomás Ruiz', 10, 900_000n);
  await runPortfolio(ctx, { asOf: TODAY });
  // Out-of-policy offers need a supervisor's approval, except in the extrajudicial phase, where they are refused.
  await setPolicy(ctx, { document: { overrides: [{ when: { phase: 'extrajudicial' }, approval: { exceptions: false } }] } });
  gabriel = (await createUser(ctx, { email: COLLECTOR.email, name: 'Gabriel Gestor', role: 'collector', password: PASSWORD })).user.id;
  ana = (await createUser(ctx, { email: 'ana@acme.test', name: 'Ana Cobradora', role: 'collector', password: PASSWORD })).user.id;
  await createUser(ctx, { email: SUPERVISOR.email, name: 'Sofía Supervisora', role: 'supervisor', password: PASSWORD });
  await assignByHand(ctx, { debtorExternalIds: ['D-ROSA', 'D-LUIS', 'D-TOMAS'], collectorId: gabriel, reason: 'cartera de prueba' });
  // Ana holds no accounts yet: her capacity setting puts her among the queues work can move to.
  await setCollector(ctx, { collectorId: ana, capacity: 200 });
  // Scores the accounts, so the assigned portfolio shows in "Mi día".
  await refreshBackOffice(ctx, { asOf: TODAY });
  browser = await launchBrowser({ viewport: LAPTOP });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPlanAction(page: Page, name: string) {
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Ofrecer plan de pagos' }).click();
  return page.getByRole('form', { name: 'Ofrecer plan de pagos' });
}

describe('payment plans and moving work', () => {
  it('lets a collector offer a plan within the policy and shows its schedule and agreement', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, COLLECTOR);
    await page.goto(`${server.url}/app/debtors/D-ROSA?lang=es`);
    const form = await openPlanAction(page, 'Rosa Jiménez');

    // The options the policy allows, each with its down payment (10 %), installment and first date.
    const options = form.getByRole('table', { name: 'Opciones dentro de la política' });
    const six = options.locator('tbody tr', { hasText: '6 cuotas mensual' });
    expect(await six.innerText()).toMatch(/\$480\.00\s+\$720\.00\s+1\d abr 2026\s+\$4,800\.00/);
    await six.getByRole('button', { name: 'Elegir 6 cuotas mensual' }).click();
    expect(await form.getByLabel('Número de cuotas').inputValue()).toBe('6');
    await form.getByText('Dentro de la política').waitFor();
    const preview = form.getByRole('table', { name: 'Calendario propuesto' });
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(7);
    await screenshot(page, import.meta.url, 'offer-plan');

    await form.getByRole('button', { name: 'Crear plan' }).click();
    const created = page.getByRole('region', { name: 'Plan creado' });
    await created.getByText(/Plan #\d+ activo/).waitFor();
    const schedule = created.getByRole('table', { name: 'Calendario de pagos' });
    const rows = await schedule.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatch(/Enganche\s+1\d mar 2026\s+\$480\.00\s+Pendiente/);
    expect(rows[6]).toMatch(/^6\s+1\d sept? 2026\s+\$720\.00/);
    // The agreement downloads as a PDF with the session of the page.
    const href = await created.getByRole('link', { name: 'Descargar convenio (PDF)' }).getAttribute('href');
    expect(href).toMatch(/^\/plans\/\d+\/agreement\.pdf$/);
    const pdf = await page.request.get(`${server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // The plan is on the debtor's list of plans, active.
    await page.locator('article[data-plan-status="active"]', { hasText: /Plan #\d+/ }).waitFor();
    await screenshot(page, import.meta.url, 'plan-created');
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('refuses a plan outside the policy with the reason, in Spanish and English', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, COLLECTOR);
    await page.goto(`${server.url}/app/debtors/D-LUIS?lang=es`);
    const form = await openPlanAction(page, 'Luis Ortega');
    await form.getByRole('table', { name: 'Opciones dentro de la política' }).waitFor();
    await form.getByLabel('Número de cuotas').fill('24');
    await form.getByText('La política no permite esta oferta').waitFor();
    await form.getByText('El máximo es 12 cuotas.').waitFor();
    expect(await form.getByRole('button', { name: 'Crear plan' }).isDisabled()).toBe(true);
    await screenshot(page, import.meta.url, 'plan-refused');
    // A down payment that covers everything is refused whatever the policy says.
    await form.getByLabel('Número de cuotas').fill('6');
    await form.getByLabel('Enganche').fill('12500.00');
    await form.getByText('El enganche cubre todo el saldo: registre un pago o una liquidación.').waitFor();

    await page.getByLabel('Idioma').selectOption('en');
    const english = page.getByRole('form', { name: 'Offer a payment plan' });
    await english.getByLabel('Number of installments').fill('24');
    await english.getByLabel('Down payment').fill('1250.00');
    await english.getByText('The policy does not allow this offer').waitFor();
    await english.getByText('At most 12 installments.').waitFor();
    await page.getByLabel('Language').selectOption('es-MX');
    // Nothing was created.
    await page.getByText('Sin planes.').waitFor();
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('sends a plan outside the policy for approval, and a supervisor approves it', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, COLLECTOR);
    await page.goto(`${server.url}/app/debtors/D-TOMAS?lang=es`);
    const form = await openPlanAction(page, 'Tomás Ruiz');
    await form.getByRole('table', { name: 'Opciones dentro de la política' }).waitFor();
    await form.getByLabel('Número de cuotas').fill('18');
    // The approver's role in words, as the promise form says it, not the API's key.
    await form.getByText('Fuera de la política: necesita aprobación (supervisión)').waitFor();
    await form.getByText('El máximo es 12 cuotas.').waitFor();
    await form.getByRole('button', { name: 'Enviar a aprobación' }).click();
    await page.getByText(/Plan #\d+ enviado a aprobación \(supervisión\)/).waitFor();
    // A collector cannot approve.
    const pending = page.locator('article[data-plan-status="pending_approval"]');
    await pending.waitFor();
    expect(await pending.getByRole('button', { name: 'Aprobar' }).count()).toBe(0);
    await page.close();

    const supervisor = await browser.newPage();
    const supervisorConsole = watchConsole(supervisor);
    await signIn(supervisor, server, SUPERVISOR);
    await supervisor.goto(`${server.url}/app/debtors/D-TOMAS?lang=es`);
    const waiting = supervisor.locator('article[data-plan-status="pending_approval"]');
    await waiting.getByText('El máximo es 12 cuotas.').waitFor();
    expect(await waiting.getByRole('table').locator('tbody tr').count()).toBe(19);
    await screenshot(supervisor, import.meta.url, 'plan-pending');
    await waiting.getByRole('button', { name: 'Aprobar' }).click();
    await supervisor.locator('article[data-plan-status="active"]').getByText('Activo').waitFor();
    expect(await supervisor.locator('article[data-plan-status="pending_approval"]').count()).toBe(0);
    expect(console.errors).toEqual([]);
    expect(supervisorConsole.errors).toEqual([]);
    await supervisor.close();
  });

  it("lets a supervisor move a debtor to another collector's queue, keeping the history", async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, SUPERVISOR);
    await page.goto(`${server.url}/app/worklist?lang=es`);
    await page.getByRole('heading', { name: 'Mi día' }).waitFor();
    const queue = page.getByLabel('Cola de trabajo');
    await queue.selectOption(String(gabriel));
    await page.getByRole('link', { name: 'Abrir Luis Ortega' }).first().waitFor();
    expect(await queue.locator('option:checked').innerText()).toMatch(/^Gestor #\d+ · Gabriel Gestor · 3 cuentas/);

    const move = page.getByRole('form', { name: 'Mover trabajo a otro gestor' });
    expect(await move.getByRole('button', { name: 'Mover seleccionados' }).isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: 'Seleccionar Luis Ortega' }).first().check();
    await move.getByText('1 deudor seleccionado').waitFor();
    // Only other collectors are offered as the destination.
    const to = move.getByLabel('Mover a');
    expect(await to.locator('option', { hasText: 'Gabriel Gestor' }).count()).toBe(0);
    await to.selectOption(String(ana));
    await move.getByLabel('Motivo (opcional)').fill('Ana lleva la cartera extrajudicial');
    await screenshot(page, import.meta.url, 'move-work');
    await move.getByRole('button', { name: 'Mover seleccionados' }).click();
    await move.getByText('Se movió 1 cuenta; el historial de asignación se conserva.').waitFor();

    // Gone from Gabriel's queue, in Ana's.
    await expect.poll(() => page.getByRole('link', { name: 'Abrir Luis Ortega' }).count()).toBe(0);
    // The queues count it too (Rosa and Tomás stay with Gabriel, on hold while their plans run).
    await expect.poll(() => queue.locator(`option[value="${gabriel}"]`).innerText()).toMatch(/Gabriel Gestor · 2 cuentas/);
    await queue.selectOption(String(ana));
    await page.getByRole('link', { name: 'Abrir Luis Ortega' }).first().waitFor();
    expect(await page.getByRole('link', { name: 'Abrir Rosa Jiménez' }).count()).toBe(0);
    expect(await queue.locator('option:checked').innerText()).toMatch(/Ana Cobradora · 1 cuenta/);
    await screenshot(page, import.meta.url, 'moved');

    // The backend kept the history: Gabriel's assignment closed, Ana's open, with the reason.
    const { db } = server.database;
    const [luis] = await db.select({ id: debtors.id }).from(debtors).where(and(eq(debtors.companyId, server.company.id), eq(debtors.externalId, 'D-LUIS')));
    const history = await db.select().from(assignments).where(eq(assignments.debtorId, luis!.id)).orderBy(assignments.id);
    expect(history.map((a) => [a.collectorId, a.validTo === null, a.reason])).toEqual([
      [gabriel, false, 'cartera de prueba'],
      [ana, true, 'Ana lleva la cartera extrajudicial'],
    ]);
    expect(console.errors).toEqual([]);
    await page.close();
  });
});
