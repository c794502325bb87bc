/**
 * The debtor portal in real Chromium at phone width (390×844): an expired link, the identity check locking after 5
 * wrong answers, paying with the sandbox provider (then the paid-in-full letter), promising a date, choosing a plan
 * (then its written agreement) and disputing a document. Screenshots go to test-artifacts/screenshots/portal--*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { issuePortalLink } from '../../src/modules/portal/index.ts';
import { launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

let server: WebServer;
let browser: Browser;
let key: string;

async function api(method: 'POST' | 'PATCH', url: string, body: unknown) {
  const r = await server.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, payload: body as object });
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.json();
}

/** A debtor with one overdue and one current document; returns a fresh portal link's path. */
async function debtorWithLink(id: string, taxId: string, name = 'Ximena Ortiz'): Promise<string> {
  await api('POST', '/debtors', { external_id: id, name, tax_id: taxId });
  await api('POST', '/obligations', { external_id: `${id}-F1`, debtor_external_id: id, currency: 'MXN', amount: '4500.00', due_on: '2026-01-10' });
  await api('POST', '/obligations', { external_id: `${id}-F2`, debtor_external_id: id, currency: 'MXN', amount: '1200.50', due_on: '2026-04-10' });
  const link = await issuePortalLink(server.company.ctx, { debtorExternalId: id });
  return `${server.url}${link.url}`;
}

async function passIdentity(page: Page, answer: string) {
  await page.getByLabel('Últimos 4 caracteres de su RFC o identificación fiscal').fill(answer);
  await page.getByRole('button', { name: 'Confirmar' }).click();
  await page.getByRole('heading', { name: 'Lo que debe' }).waitFor();
}

beforeAll(async () => {
  server = await startWebServer({ now: '2026-03-15T18:00:00Z' });
  key = (await createApiKey({ database: server.database, companyId: server.company.id, name: 'browser' })).key;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('debtor portal on a phone', () => {
  it('shows a clear page for an expired link and for a broken one', async () => {
    await debtorWithLink('EXP-1', 'XOJI740919U48');
    const link = await issuePortalLink(server.company.ctx, { debtorExternalId: 'EXP-1', ttlDays: 1 });
    server.clock.advance(2 * 86_400_000);
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}${link.url}`);
      await page.getByRole('heading', { name: 'Este enlace ya venció' }).waitFor();
      expect(await page.getByText('Pida uno nuevo a su acreedor').isVisible()).toBe(true);
      // Nothing about the debtor or the debt shows.
      expect(await page.content()).not.toContain('Ximena');
      await screenshot(page, import.meta.url, 'expired-link');
      await page.goto(`${server.url}/p/esto-no-es-un-enlace`);
      await page.getByRole('heading', { name: 'Este enlace no es válido' }).waitFor();
    } finally {
      server.clock.set('2026-03-15T18:00:00Z');
      await page.close();
    }
  });

  it('locks the identity check after 5 wrong answers, also after a reload', async () => {
    const url = await debtorWithLink('LOCK-1', 'EKU9003173C9', 'Empresa Kilo');
    const page = await browser.newPage();
    const console = watchConsole(page);
    await page.goto(url);
    await page.getByRole('heading', { name: 'Confirme su identidad' }).waitFor();
    await screenshot(page, import.meta.url, 'identity-check');
    const field = page.getByLabel('Últimos 4 caracteres de su RFC o identificación fiscal');
    for (let left = 4; left >= 1; left--) {
      await field.fill('0000');
      await page.getByRole('button', { name: 'Confirmar' }).click();
      await page.getByText(left === 1 ? 'Le queda 1 intento.' : `Le quedan ${left} intentos.`).waitFor();
    }
    await screenshot(page, import.meta.url, 'identity-one-try-left');
    await field.fill('0000');
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Verificación bloqueada' }).waitFor();
    await screenshot(page, import.meta.url, 'identity-locked');
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Verificación bloqueada' }).waitFor();
    expect(await field.count()).toBe(0);
    const [lock] = await server.database.query<{ failures: number }>(sql`SELECT failures FROM portal_identity_attempts a JOIN debtors d ON d.id = a.debtor_id WHERE d.external_id = 'LOCK-1'`);
    expect(lock).toEqual({ failures: 5 });
    // Wrong answers are 401/429 responses, which the browser logs; nothing else may fail.
    expect(console.errors.filter((e) => !/status of (401|429)/.test(e))).toEqual([]);
    await page.close();
  });

  it('pays everything with the sandbox provider, then downloads the paid-in-full letter', async () => {
    const url = await debtorWithLink('PAY-1', 'XOJI740919U48');
    const page = await browser.newPage();
    const console = watchConsole(page);
    await page.goto(url);
    await passIdentity(page, '9u48');
    expect(await page.getByTestId('total-MXN').textContent()).toContain('$5,700.50');
    expect(await page.getByTestId('obligation-PAY-1-F1').textContent()).toContain('64 días de atraso');
    expect(await page.getByTestId('obligation-PAY-1-F2').textContent()).toContain('Al corriente');
    await screenshot(page, import.meta.url, 'account');

    await page.getByRole('link', { name: 'Pagar' }).click();
    await page.getByRole('button', { name: 'Pagar todo ($5,700.50)' }).click();
    await page.getByRole('heading', { name: 'Pago de prueba' }).waitFor();
    await screenshot(page, import.meta.url, 'sandbox-checkout');
    await page.getByRole('button', { name: 'Pagar $5,700.50' }).click();
    await page.getByText('¡Gracias! Recibimos su pago de $5,700.50.').waitFor();
    await screenshot(page, import.meta.url, 'paid');

    await page.getByRole('link', { name: /Volver/ }).click();
    await page.getByText('No tiene saldos pendientes. ¡Gracias!').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Descargar carta (PDF)' }).click()]);
    expect(download.suggestedFilename()).toBe('carta-finiquito.pdf');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(path)).subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(page, import.meta.url, 'paid-in-full');
    const [payment] = await server.database.query<{ amount: string }>(sql`SELECT p.amount::text FROM payments p JOIN debtors d ON d.id = p.debtor_id WHERE d.external_id = 'PAY-1'`);
    expect(payment).toEqual({ amount: '570050' });
    expect(console.errors).toEqual([]);
    await page.close();
  });

  it('pays part of the balance, refusing more than is owed', async () => {
    const url = await debtorWithLink('PART-1', 'XOJI740919U48');
    const page = await browser.newPage();
    await page.goto(url);
    await passIdentity(page, '9U48');
    await page.getByRole('link', { name: 'Pagar' }).click();
    await page.getByRole('button', { name: 'Pagar otra cantidad' }).click();
    const amount = page.getByLabel('Cantidad a pagar (MXN)');
    await amount.fill('9000');
    await page.getByRole('button', { name: 'Continuar al pago' }).click();
    await page.getByText('Escriba una cantidad mayor a cero y no mayor a su saldo.').waitFor();
    await amount.fill('1,000.50');
    await page.getByRole('button', { name: 'Continuar al pago' }).click();
    await page.getByRole('button', { name: 'Pagar $1,000.50' }).click();
    await page.getByText('¡Gracias! Recibimos su pago de $1,000.50.').waitFor();
    await page.getByRole('link', { name: /Volver/ }).click();
    expect(await page.getByTestId('total-MXN').textContent()).toContain('$4,700.00');
    await page.close();
  });

  it('promises a date within the policy, after a refused one shows the reason', async () => {
    const url = await debtorWithLink('PROM-1', 'XOJI740919U48');
    const page = await browser.newPage();
    await page.goto(url);
    await passIdentity(page, '9U48');
    await page.getByRole('link', { name: 'Prometer una fecha de pago' }).click();
    await page.getByLabel('Cantidad (MXN)').fill('2000');
    await page.getByLabel('Fecha en que pagará').fill('2026-06-30');
    await page.getByRole('button', { name: 'Registrar promesa' }).click();
    await page.getByText('No podemos aceptar esta propuesta:').waitFor();
    await screenshot(page, import.meta.url, 'promise-refused');
    await page.getByLabel('Fecha en que pagará').fill('2026-03-25');
    await page.getByRole('button', { name: 'Registrar promesa' }).click();
    await page.getByText('Registramos su promesa de pagar $2,000.00 el 25 mar 2026.').waitFor();
    await screenshot(page, import.meta.url, 'promise-recorded');
    const rows = await server.database.query<{ status: string; channel: string; taken_by: string; promised_on: string }>(
      sql`SELECT p.status, p.channel, p.taken_by, p.promised_on::text FROM promises p JOIN debtors d ON d.id = p.debtor_id WHERE d.external_id = 'PROM-1'`,
    );
    expect(rows).toEqual([{ status: 'open', channel: 'portal', taken_by: 'debtor', promised_on: '2026-03-25' }]);
    await page.getByRole('link', { name: /Volver/ }).click();
    await page.getByText('Promesa vigente: $2,000.00 el 25 mar 2026').waitFor();
    await page.close();
  });

  it('chooses a payment plan the policy offers', async () => {
    const url = await debtorWithLink('PLAN-1', 'XOJI740919U48');
    const page = await browser.newPage();
    await page.goto(url);
    await passIdentity(page, '9U48');
    await page.getByRole('link', { name: 'Plan de pagos' }).click();
    const option = page.getByRole('article', { name: '3 pagos mensuales' });
    await option.waitFor();
    await screenshot(page, import.meta.url, 'plan-options');
    await option.getByRole('button', { name: 'Elegir este plan' }).click();
    await page.getByText('Su plan de pagos quedó registrado.').waitFor();
    await screenshot(page, import.meta.url, 'plan-chosen');
    const plans = await server.database.query<{ status: string; frequency: string; channel: string; n: string }>(sql`
      SELECT p.status, p.frequency, p.channel, (SELECT count(*) FROM payment_plan_installments i WHERE i.plan_id = p.id AND i.seq > 0)::text AS n
        FROM payment_plans p JOIN debtors d ON d.id = p.debtor_id WHERE d.external_id = 'PLAN-1'`);
    expect(plans).toEqual([{ status: 'active', frequency: 'monthly', channel: 'portal', n: '3' }]);
    // The written agreement of the plan in force downloads from the home page.
    await page.getByRole('link', { name: /Volver/ }).click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Descargar convenio (PDF)' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^convenio-\d+\.pdf$/);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.close();
  });

  it('disputes a document, which then shows as under review', async () => {
    const url = await debtorWithLink('DISP-1', 'XOJI740919U48');
    const page = await browser.newPage();
    await page.goto(url);
    await passIdentity(page, '9U48');
    await page.getByTestId('obligation-DISP-1-F1').getByRole('link', { name: 'No reconozco este cargo' }).click();
    await page.getByRole('heading', { name: 'Aclaración de un documento' }).waitFor();
    await page.getByLabel('Ya pagué').check();
    await page.getByLabel(/Explíquenos/).fill('Pagué en ventanilla el 5 de febrero');
    await screenshot(page, import.meta.url, 'dispute-form');
    await page.getByRole('button', { name: 'Enviar aclaración' }).click();
    await page.getByText('Recibimos su aclaración.').waitFor();
    await page.getByRole('link', { name: /Volver/ }).click();
    expect(await page.getByTestId('obligation-DISP-1-F1').textContent()).toContain('En aclaración');
    await screenshot(page, import.meta.url, 'disputed');
    const [dispute] = await server.database.query<{ status: string; reason: string }>(sql`
      SELECT x.status, x.reason FROM disputes x JOIN obligations o ON o.id = x.obligation_id WHERE o.external_id = 'DISP-1-F1'`);
    expect(dispute).toEqual({ status: 'open', reason: 'Ya pagué: Pagué en ventanilla el 5 de febrero' });
    await page.close();
  });

  it('switches to English and keeps the figures exact', async () => {
    const url = await debtorWithLink('LANG-1', 'XOJI740919U48');
    const page = await browser.newPage();
    await page.goto(url);
    await passIdentity(page, '9U48');
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'What you owe' }).waitFor();
    expect(await page.getByTestId('obligation-LANG-1-F1').textContent()).toContain('64 days late');
    expect(await page.getByTestId('total-MXN').textContent()).toContain('5,700.50');
    await screenshot(page, import.meta.url, 'account-en');
    await page.close();
  });
});
