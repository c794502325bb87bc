/**
 * What a browser review of the back office asked for, in real Chromium on a laptop: "Mi día" and "Cartera" say when an
 * account not yet due falls due instead of a negative number; "Mi día" says how many accounts it shows of how many,
 * and a supervisor's queue what its figures count; the debtor page opens the next account of the list ("Siguiente
 * cuenta"), disabled with its reason at the end; the accounts filters refuse an empty days-past-due range and a
 * malformed balance next to the fields, in the app's words; the alerts format line amounts like their totals, show
 * every line on request, and head promises waiting for approval with plans.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtors, payments } from '../../src/db/schema.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { createPromise } from '../../src/modules/negotiation/index.ts';
import { saveRecords } from '../../src/modules/portfolio/index.ts';
import { recomputeBalances } from '../../src/modules/portfolio/recompute-balances.ts';
import { assignByHand, refreshWorklistScores } from '../../src/modules/worklists/index.ts';
import { LAPTOP, launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';
import { signIn } from './support/sign-in.ts';

const PASSWORD = 'clave-correcta-123';
const COLLECTOR = { email: 'gabriel@acme.test', password: PASSWORD };
const SUPERVISOR = { email: 'sofia@acme.test', password: PASSWORD };
/** Gabriel's accounts: three named ones and 55 more, so "Mi día" has a second page of 50. */
const MINE = 58;
/** Payments nobody could apply, on debtors of nobody's queue: more than the 20 lines an alert shows at first. */
const UNAPPLIED = 23;

let server: WebServer;
let browser: Browser;
let gabriel: number;

beforeAll(async () => {
  server = await startWebServer({ now: '2026-03-15T18:00:00Z', server: { auth: { secureCookies: false } } });
  const ctx = server.company.ctx;
  const filler = Array.from({ length: MINE - 3 }, (_, i) => ({ external_id: `F-${String(i).padStart(2, '0')}`, name: `Cliente Relleno ${i}` }));
  const unassigned = Array.from({ length: UNAPPLIED }, (_, i) => ({ external_id: `P-${String(i).padStart(2, '0')}`, name: `Pagador ${i}` }));
  const named = [
    { external_id: 'N-SOON', name: 'Nadia Pronto' },
    { external_id: 'N-TODAY', name: 'Tomás Hoy' },
    { external_id: 'N-LATE', name: 'Lucía Tarde' },
  ];
  await saveRecords(ctx, { entity: 'debtors', rows: [...named, ...filler, ...unassigned] });
  await saveRecords(ctx, {
    entity: 'obligations',
    rows: [
      { external_id: 'O-SOON', debtor_external_id: 'N-SOON', currency: 'MXN', amount: '9000.00', due_on: '2026-03-18' },
      { external_id: 'O-TODAY', debtor_external_id: 'N-TODAY', currency: 'MXN', amount: '8000.00', due_on: '2026-03-15' },
      { external_id: 'O-LATE', debtor_external_id: 'N-LATE', currency: 'MXN', amount: '7000.00', due_on: '2026-02-13' },
      ...filler.map((d, i) => ({ external_id: `OF-${i}`, debtor_external_id: d.external_id, currency: 'MXN', amount: `${1000 + i * 10}.00`, due_on: `2026-02-${String(1 + (i % 28)).padStart(2, '0')}` })),
      ...unassigned.map((d, i) => ({ external_id: `OP-${i}`, debtor_external_id: d.external_id, currency: 'MXN', amount: '10000.00', due_on: '2026-01-15' })),
    ],
  });
  await runPortfolio(ctx, { asOf: '2026-03-15' });
  gabriel = (await createUser(ctx, { email: COLLECTOR.email, name: 'Gabriel Gestor', role: 'collector', password: PASSWORD })).user.id;
  await createUser(ctx, { email: SUPERVISOR.email, name: 'Sofía Supervisora', role: 'supervisor', password: PASSWORD });
  await assignByHand(ctx, { debtorExternalIds: [...named, ...filler].map((d) => d.external_id), collectorId: gabriel, reason: 'cartera de prueba' });
  await refreshWorklistScores(ctx);

  // Dollars from debtors who owe only pesos: nothing to apply them to.
  const { db } = server.database;
  const payers = await db.select({ id: debtors.id, externalId: debtors.externalId }).from(debtors).where(and(eq(debtors.companyId, server.company.id), inArray(debtors.externalId, unassigned.map((d) => d.external_id))));
  const byId = new Map(payers.map((p) => [p.externalId, p.id]));
  await db.insert(payments).values(
    unassigned.map((d, i) => ({ companyId: server.company.id, debtorId: byId.get(d.external_id)!, externalId: `PAY-${d.external_id}`, currency: 'USD', amount: 6_336n + BigInt(i), unapplied: 6_336n + BigInt(i), paidOn: `2026-02-${String(1 + i).padStart(2, '0')}` })),
  );
  await recomputeBalances(db, server.company.id, payers.map((p) => p.id));
  // A promise below the policy's minimum, waiting for a supervisor.
  await createPromise(ctx, { debtorId: byId.get('P-00')!, currency: 'MXN', amount: '100.00', promisedOn: '2026-03-20', channel: 'phone', takenBy: 'collector', requestApproval: true });
  browser = await launchBrowser({ viewport: LAPTOP });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const listedNames = (page: Page) => page.locator('tbody tr td:nth-child(2) a').allInnerTexts();
/** Text as read, with the no-break spaces of formatted amounts as plain ones. */
const textOf = async (locator: { innerText(): Promise<string> }) => (await locator.innerText()).replace(/\s+/g, ' ');
const row = (page: Page, name: string) => page.locator('tbody tr', { has: page.getByRole('link', { name: `Abrir ${name}`, exact: true }) });

describe('"Mi día" and the next account', () => {
  it('says when accounts fall due, how much of the list shows, and opens the next account of the list', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, COLLECTOR);
    await page.goto(`${server.url}/app/worklist?lang=es`);
    await page.getByRole('heading', { name: 'Mi día', level: 1 }).waitFor();
    await page.getByText(`Se muestran 50 de ${MINE} cuentas por trabajar hoy.`).waitFor();
    await page.getByText('Ningún pendiente urgente: la lista es la cartera asignada, por recuperación esperada.').waitFor();
    await page.getByRole('button', { name: 'Ver más cuentas' }).click();
    await page.getByText(`Se muestran ${MINE} de ${MINE} cuentas por trabajar hoy.`).waitFor();
    // Not yet due: when it falls due, not "-3"; late: the days.
    expect(await row(page, 'Nadia Pronto').locator('td').nth(4).innerText()).toBe('Vence en 3 días');
    expect(await row(page, 'Tomás Hoy').locator('td').nth(4).innerText()).toBe('Vence hoy');
    expect(await row(page, 'Lucía Tarde').locator('td').nth(4).innerText()).toBe('30');
    await screenshot(page, import.meta.url, 'worklist');
    const order = await listedNames(page);
    expect(order).toHaveLength(MINE);
    const lastHref = await page.getByRole('link', { name: `Abrir ${order[MINE - 1]}`, exact: true }).getAttribute('href');

    // The first account, then "Siguiente cuenta" twice: the list's order.
    await page.getByRole('link', { name: `Abrir ${order[0]}`, exact: true }).click();
    await page.getByRole('heading', { name: order[0], level: 1 }).waitFor();
    await page.getByRole('button', { name: `Siguiente cuenta: ${order[1]}` }).click();
    await page.getByRole('heading', { name: order[1], level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/app\/debtors\/[^?]+$/);
    // Working the account takes it off today's list; "next" stays the one after it.
    const form = page.getByRole('form', { name: 'Registrar gestión' });
    await form.getByLabel('Resultado').selectOption({ label: 'No contesta' });
    await form.getByRole('button', { name: 'Guardar gestión' }).click();
    await form.getByText('Gestión registrada.').waitFor();
    await page.getByRole('button', { name: `Siguiente cuenta: ${order[2]}` }).click();
    await page.getByRole('heading', { name: order[2], level: 1 }).waitFor();

    // The last account of the list, opened by its address: the page reads the list to its second page, finds nothing
    // after it, and says so.
    const last = order[MINE - 1]!;
    await page.goto(`${server.url}${lastHref}`);
    await page.getByRole('heading', { name: last, level: 1 }).waitFor();
    const next = page.getByRole('button', { name: /Siguiente cuenta/ });
    await page.getByText('No hay más cuentas después de esta en la lista de hoy.').waitFor();
    expect(await next.isDisabled()).toBe(true);
    expect(await next.getAttribute('aria-describedby')).toBe(await page.getByText('No hay más cuentas después de esta en la lista de hoy.').getAttribute('id'));
    await screenshot(page, import.meta.url, 'last-account');

    // English on request.
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByText("There are no more accounts after this one in today's list.").waitFor();
    await page.getByRole('button', { name: /Next account/ }).waitFor();
    await page.getByLabel('Language').selectOption('es-MX');
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it("tells a supervisor what a queue's figures count, and keeps the queue through the debtor page", async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, SUPERVISOR);
    await page.goto(`${server.url}/app/worklist?lang=es`);
    const queue = page.getByLabel('Cola de trabajo');
    await queue.waitFor();
    expect(await queue.locator(`option[value="${gabriel}"]`).innerText()).toBe(`Gestor #${gabriel} · Gabriel Gestor · ${MINE} cuentas asignadas · 0 pendientes urgentes hoy`);
    await page.getByText('Pendientes urgentes: tareas vencidas, promesas incumplidas, respuestas, disputas, aprobaciones y pagos sin aplicar de las cuentas del gestor.').waitFor();
    await queue.selectOption(String(gabriel));
    await expect.poll(() => page.url()).toContain(`queue=${gabriel}`);
    // One account was worked today (the test above): it left the list, not the queue.
    await page.getByText(`Se muestran 50 de ${MINE - 1} cuentas por trabajar hoy.`).waitFor();
    await page.getByText(`${MINE} cuentas asignadas en total; las trabajadas hoy, en espera de una próxima acción, en pausa o sin saldo por recuperar no están en la lista.`).waitFor();
    const order = await listedNames(page);
    await page.getByRole('link', { name: `Abrir ${order[0]}`, exact: true }).click();
    await expect.poll(() => page.url()).toContain(`?queue=${gabriel}`);
    await page.getByRole('button', { name: `Siguiente cuenta: ${order[1]}` }).click();
    await page.getByRole('heading', { name: order[1], level: 1 }).waitFor();
    await page.getByRole('link', { name: '← Volver a Mi día' }).click();
    await expect.poll(() => queue.inputValue()).toBe(String(gabriel));
    expect(console.errors).toEqual([]);
    await page.close();
  });
});

describe('Cartera', () => {
  it('says when accounts fall due, and refuses filters that cannot match or are malformed, next to the fields', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    const listCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/accounts') listCalls.push(r.url());
    });
    await signIn(page, server, SUPERVISOR);
    await page.goto(`${server.url}/app/accounts?lang=es&dpd_max=0`);
    await page.getByRole('heading', { name: 'Cartera', level: 1 }).waitFor();
    await expect.poll(() => page.locator('tbody tr td:nth-child(3)').allInnerTexts()).toEqual(['Vence hoy', 'Vence en 3 días']);

    await page.getByLabel('Días de atraso desde').fill('100');
    await page.getByLabel('Días de atraso hasta').fill('10');
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    const dpdTo = page.getByLabel('Días de atraso hasta');
    await page.getByText('Días de atraso “hasta” (10) es menor que “desde” (100): ninguna cuenta puede coincidir.').waitFor();
    expect(await dpdTo.getAttribute('aria-invalid')).toBe('true');
    // Refused in the page: the address and the list keep the last good filters.
    expect(page.url()).not.toContain('dpd_min=100');
    expect(await page.locator('tbody tr').count()).toBe(2);
    await screenshot(page, import.meta.url, 'accounts-dpd-range');

    await page.getByLabel('Días de atraso desde').fill('');
    await page.getByLabel('Días de atraso hasta').fill('0');
    await page.getByLabel('Moneda del saldo').selectOption('MXN');
    const balance = page.getByLabel('Saldo desde');
    await balance.fill('12.345');
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await page.getByText('El saldo tiene más decimales de los que admite MXN.').waitFor();
    await balance.fill('doce mil');
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await page.getByText('Escriba el saldo con números, por ejemplo 1250.50.').waitFor();
    // The app's message, not the browser's: the field itself holds no validation message.
    expect(await balance.evaluate((el) => (el as unknown as { validationMessage: string }).validationMessage)).toBe('');
    // Written as people write it, it is applied as the API reads it.
    await balance.fill('$8,000');
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await expect.poll(() => page.url()).toContain('balance_min=8000');
    await expect.poll(() => page.locator('tbody tr td:first-child a').allInnerTexts()).toEqual(['Tomás Hoy', 'Nadia Pronto']);

    // An address with a range that cannot match says so instead of listing nothing, and asks the API nothing.
    // Requests of the page before are let finish first, so only the new address's are counted.
    await page.waitForLoadState('networkidle');
    listCalls.length = 0;
    await page.goto(`${server.url}/app/accounts?lang=es&dpd_min=100&dpd_max=10`);
    await page.getByText('Corrija los filtros marcados para ver la lista.').waitFor();
    await page.getByText('Días de atraso “hasta” (10) es menor que “desde” (100): ninguna cuenta puede coincidir.').waitFor();
    expect(listCalls).toEqual([]);
    expect(console.errors).toEqual([]);
    await page.close();
  });
});

describe('alerts', () => {
  it('formats line amounts like the totals, shows every line on request, and heads promises with plans', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await signIn(page, server, SUPERVISOR);
    await page.goto(`${server.url}/app/alerts?lang=es`);
    const unapplied = page.locator('[data-kind="unapplied_payment"]');
    await unapplied.getByRole('heading', { name: /Pagos no aplicados/ }).waitFor();
    await unapplied.getByRole('list', { name: 'Pagos no aplicados' }).waitFor();
    const lines = unapplied.locator('ul > li');
    await expect.poll(() => lines.count()).toBe(20);
    expect(await textOf(lines.first())).toBe('P-00 — Pago PAY-P-00 sin aplicar: USD 63.36 · desde 1 feb 2026');
    expect(await textOf(unapplied)).toContain('Montos: USD 1,459.81');
    await unapplied.getByText(`Se muestran 20 de ${UNAPPLIED}.`).waitFor();
    await unapplied.getByRole('button', { name: 'Ver 3 más' }).click();
    await expect.poll(() => lines.count()).toBe(UNAPPLIED);
    expect(await textOf(lines.last())).toBe('P-22 — Pago PAY-P-22 sin aplicar: USD 63.58 · desde 23 feb 2026');
    expect(await unapplied.getByRole('button', { name: /Ver \d+ más/ }).count()).toBe(0);

    const approvals = page.locator('[data-kind="plan_approval"]');
    await approvals.getByRole('heading', { name: /Promesas y planes por aprobar/ }).waitFor();
    await approvals.getByRole('listitem').filter({ hasText: /^P-00 — Promesa fuera de política por aprobar \(supervisión\)/ }).waitFor();
    await screenshot(page, import.meta.url, 'alerts');

    await page.getByLabel('Idioma').selectOption('en');
    await approvals.getByRole('heading', { name: /Promises and plans to approve/ }).waitFor();
    expect(await textOf(lines.first())).toMatch(/: \$63\.36 · since Feb 1, 2026$/);
    await page.getByLabel('Language').selectOption('es-MX');
    expect(console.errors).toEqual([]);
    await page.close();
  });
});
