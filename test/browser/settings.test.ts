/**
 * The settings pages in real Chromium on a laptop: an administrator signs in, writes a segment rule that the editor
 * refuses as it is typed (with its position), fixes it, sees how many accounts it matches and saves it; changes the
 * negotiation policy with a value out of range (the server's objection appears beside the field) and then a valid one;
 * and previews a strategy day by day with the compliance gate's refusals.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents, debtors, obligations, portfolios } from '../../src/db/schema.ts';
import { createUser } from '../../src/modules/access/create-user.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { getPolicy } from '../../src/modules/negotiation/index.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { LAPTOP, launchBrowser, screenshot, watchConsole, type Browser } from './support/browser.ts';
import { startWebServer, type WebServer } from './support/server.ts';

const STRATEGY = `
name: recordatorios
portfolio: default
description: Recordatorios por SMS
rules:
  - phase: preventive
    steps:
      - { id: pre-2, trigger: -2, channel: sms, template: preventive_reminder }
      - { id: due-0, trigger: 0, channel: sms, template: due_today }
`;

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer({ server: { auth: { secureCookies: false } } });
  const { ctx, id: companyId } = server.company;
  await createUser(ctx, { email: 'ana@acme.test', name: 'Ana Admin', role: 'admin', password: 'clave-correcta-123' });
  const [portfolio] = await server.database.db.select().from(portfolios).where(eq(portfolios.companyId, companyId));
  // Two debtors owing in two days: one authorised SMS, the other refused it (the gate refuses its messages).
  const debtor = async (externalId: string, amount: bigint, sms: boolean) => {
    const [row] = await server.database.db
      .insert(debtors)
      .values({ companyId, externalId, name: `Deudor ${externalId}`, country: 'MX', timeZone: 'America/Mexico_City', phone: '+525512345678', email: `${externalId.toLowerCase()}@example.com` })
      .returning({ id: debtors.id });
    await server.database.db.insert(obligations).values({ companyId, portfolioId: portfolio!.id, debtorId: row!.id, externalId: `${externalId}-A`, currency: 'MXN', amount, balance: amount, dueOn: '2026-03-17' });
    await server.database.db.insert(consents).values({ companyId, debtorId: row!.id, channel: 'sms', status: sms ? 'granted' : 'denied', source: 'test' });
  };
  await debtor('MX-1', 50_000_00n, true);
  await debtor('MX-2', 500_00n, false);
  await runPortfolio(ctx, { asOf: '2026-03-15' });
  await applyStrategy(ctx, { source: STRATEGY });
  browser = await launchBrowser({ viewport: LAPTOP });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('settings pages', () => {
  it('lets an administrator edit segments, the negotiation policy and preview a strategy', async () => {
    const page = await browser.newPage();
    const console = watchConsole(page);
    await page.goto(`${server.url}/app/sign-in?lang=es&next=${encodeURIComponent('/app/settings/segments')}`);
    await page.getByLabel('Correo electrónico').fill('ana@acme.test');
    await page.getByLabel('Contraseña').fill('clave-correcta-123');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { name: 'Segmentos' }).waitFor();
    await page.getByText('Todavía no hay segmentos.').waitFor();

    // Segments: the rule is checked as it is typed.
    await page.getByRole('button', { name: 'Agregar segmento' }).click();
    await page.getByLabel('Nombre del segmento').fill('saldo-alto');
    const rule = page.getByRole('textbox', { name: 'Regla' });
    await rule.fill("balance.MXN >= 1000 and phase = 'preventiva'");
    const ruleError = page.locator('.field__error').filter({ hasText: 'La regla no es válida (línea 1, columna 33)' });
    await ruleError.waitFor();
    expect(await rule.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Guardar segmento' }).isDisabled()).toBe(true);
    await screenshot(page, import.meta.url, 'segments-invalid-rule');

    await rule.fill("balance.MXN >= 1000 and phase = 'preventive'");
    // Only MX-1 owes 1,000 MXN or more; both accounts exist from the run of 2026-03-15.
    await page.getByText('Regla válida. Coincide con 1 de 2 cuentas según la última corrida.').waitFor();
    expect(await ruleError.count()).toBe(0);
    await page.getByRole('button', { name: 'Guardar segmento' }).click();
    await page.getByText('Segmento saldo-alto guardado.').waitFor();
    await page.getByRole('cell', { name: 'saldo-alto', exact: true }).waitFor();
    await page.getByRole('cell', { name: "balance.MXN >= 1000 and phase = 'preventive'" }).waitFor();
    await screenshot(page, import.meta.url, 'segments');

    // Negotiation policy: an out-of-range value is refused beside its field, a valid one is saved.
    await page.getByRole('link', { name: 'Política de negociación' }).click();
    await page.getByRole('heading', { name: 'Política de negociación', level: 1 }).waitFor();
    await page.getByText('Se usa la política predeterminada').waitFor();
    const discount = page.getByLabel('Liquidación: % máximo de descuento');
    await discount.fill('150');
    await page.getByRole('button', { name: 'Guardar política' }).click();
    await page.getByText('La política no se guardó. Corrija lo señalado:').waitFor();
    expect(await discount.getAttribute('aria-invalid')).toBe('true');
    const discountError = await page.locator(`#${await discount.getAttribute('id')}-error`).textContent();
    expect(discountError).toMatch(/\S/);
    await screenshot(page, import.meta.url, 'policy-invalid');
    expect((await getPolicy(server.company.ctx)).isDefault).toBe(true);

    await discount.fill('35');
    await page.getByRole('button', { name: 'Guardar política' }).click();
    await page.getByText('Política guardada (versión 1).').waitFor();
    await page.getByText(/Versión 1, guardada por ana@acme\.test/).waitFor();
    const saved = await getPolicy(server.company.ctx);
    expect(saved.document).toMatchObject({ settlements: { max_discount_percent: 35 } });
    await screenshot(page, import.meta.url, 'policy');

    // Strategies: the steps, then a simulation preview with per-day counts and the gate's refusals.
    await page.getByRole('link', { name: 'Estrategias' }).click();
    await page.getByRole('button', { name: 'Ver recordatorios' }).click();
    await page.getByRole('heading', { name: 'Estrategia recordatorios · versión 1' }).waitFor();
    await page.getByRole('cell', { name: 'pre-2', exact: true }).waitFor();
    await page.getByLabel('Desde').fill('2026-03-15');
    await page.getByLabel('Hasta').fill('2026-03-18');
    await page.getByRole('button', { name: 'Simular' }).click();
    const preview = page.getByRole('region', { name: 'recordatorios' });
    await preview.getByRole('heading', { name: 'recordatorios v1 · cartera default · 2 cuentas' }).waitFor();
    const rows = preview.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(4);
    // 15 March (two days before the due date): MX-1 gets the SMS, MX-2 is refused: it denied SMS.
    const first = (await rows.nth(0).locator('td').allTextContents()).slice(0, 5);
    expect(first).toEqual(['1', '1', '0', '1', '0']);
    await preview.getByRole('heading', { name: 'Rechazos del control de cumplimiento' }).waitFor();
    expect(await preview.getByText('El control de cumplimiento no rechazó nada.').count()).toBe(0);
    await screenshot(page, import.meta.url, 'strategies-simulation');

    // Pausing and activating again.
    await page.getByRole('button', { name: 'Pausar recordatorios' }).click();
    await page.getByText('En pausa', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Activar recordatorios' }).click();
    await page.getByText('Activa', { exact: true }).waitFor();

    // The refused policy is the one failed request; the rule editor's checks answer 200 even for invalid rules.
    expect(console.errors).toEqual([expect.stringMatching(/status of 400/)]);
    await page.close();
  });

  it('sets phase thresholds in English, refusing thresholds that do not increase', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/settings/phases?lang=en`);
    // The session cookie of the first test is still in the browser context.
    await page.getByRole('heading', { name: 'Collection phases' }).waitFor();
    const extrajudicial = page.getByLabel('Extrajudicial from day past due', { exact: true });
    const judicial = page.getByLabel('Judicial from day past due', { exact: true });
    await extrajudicial.fill('200');
    await judicial.fill('150');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByRole('alert').filter({ hasText: /phase thresholds of portfolio "default" rejected: thresholds must increase/i }).waitFor();
    await judicial.fill('x');
    await page.getByText('Enter a number.').waitFor();
    expect(await page.getByRole('button', { name: 'Save thresholds' }).isDisabled()).toBe(true);
    await judicial.fill('240');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByText('Thresholds saved.').waitFor();
    const saved = await server.app.inject({ method: 'GET', url: '/portfolios/default/phases', headers: { cookie: (await browser.context.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(saved.json()).toMatchObject({ extrajudicial_from: 200, judicial_from: 240 });
    await screenshot(page, import.meta.url, 'phases-en');
    await page.close();
  });
});
