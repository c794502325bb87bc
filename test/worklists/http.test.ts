import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debtors, obligations, portfolios } from '../../src/db/schema.ts';
import { eq, sql } from 'drizzle-orm';
import { createApiKey, createUser } from '../../src/modules/access/index.ts';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { call, startHarness, type Harness } from '../http/harness.ts';

describe('back-office HTTP routes', () => {
  let h: Harness;
  let viewerKey: string;
  let collector: number;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-03-16T16:00:00Z' });
    viewerKey = (await createApiKey({ database: h.database, companyId: h.a.companyId, name: 'bi', role: 'viewer' })).key;
    collector = (await createUser(h.a.ctx, { email: 'gestor@acme.example', name: 'Gestora', role: 'collector', password: 'una clave larga y segura 123' })).user.id;
    const [p] = await h.database.db.select().from(portfolios).where(eq(portfolios.companyId, h.a.companyId));
    const [d] = await h.database.db
      .insert(debtors)
      .values({ companyId: h.a.companyId, externalId: 'D-1', name: 'María Pérez', country: 'MX', timeZone: 'America/Mexico_City', phone: '+525512345678', email: 'maria@example.com' })
      .returning();
    await h.database.db.insert(obligations).values({ companyId: h.a.companyId, portfolioId: p!.id, debtorId: d!.id, externalId: 'F-1', currency: 'MXN', amount: 500_000n, balance: 500_000n, dueOn: '2026-03-01', issuedOn: '2026-02-01' });
    await runPortfolio(h.a.ctx, { asOf: '2026-03-16' });
    expect((await call(h.app, h.a.key, 'PUT', `/collectors/${collector}`, { capacity: 10 })).statusCode).toBe(200);
    const refreshed = await call(h.app, h.a.key, 'POST', '/analytics/refresh', {});
    expect(refreshed.statusCode).toBe(200);
  });
  afterAll(async () => h.close());

  it("serves a collector's worklist and the debtor 360; another company gets 404", async () => {
    const list = await call(h.app, h.a.key, 'GET', `/worklist?collector_id=${collector}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0]).toMatchObject({ category: 'portfolio', debtor_external_id: 'D-1', balance: '5000.00', currency: 'MXN' });
    expect((await call(h.app, h.a.key, 'GET', '/worklist')).statusCode).toBe(400); // an API key must name the collector
    const view = await call(h.app, h.a.key, 'GET', '/debtors/D-1/360');
    expect(view.statusCode).toBe(200);
    expect(view.json().debtor.balances).toEqual({ MXN: '5000.00' });
    expect((await call(h.app, h.b.key, 'GET', '/debtors/D-1/360')).statusCode).toBe(404);
    expect((await call(h.app, h.b.key, 'POST', '/debtors/D-1/interactions', { channel: 'call', outcome: 'no_answer' })).statusCode).toBe(404);
  });

  it('logs a call with a promise (201), replays it (200) and refuses bad input with a 400', async () => {
    const body = { channel: 'call', outcome: 'promise', notes: 'Pagará el viernes', promise: { amount: '5000.00', date: '2026-03-20' }, collector_id: collector, idempotency_key: 'http-1' };
    const first = await call(h.app, h.a.key, 'POST', '/debtors/D-1/interactions', body);
    expect(first.statusCode).toBe(201);
    expect(first.json().promise).toMatchObject({ amount: '5000.00', currency: 'MXN', date: '2026-03-20' });
    expect((await call(h.app, h.a.key, 'POST', '/debtors/D-1/interactions', body)).statusCode).toBe(200);
    const bad = await call(h.app, h.a.key, 'POST', '/debtors/D-1/interactions', { channel: 'call', outcome: 'promise' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_failed');
    const timeline = await call(h.app, h.a.key, 'GET', '/debtors/D-1/timeline');
    expect(timeline.json().data.some((e: { kind: string }) => e.kind === 'interaction')).toBe(true);
  });

  it('guards actions by permission: a viewer cannot write off or log, nor export', async () => {
    expect((await call(h.app, viewerKey, 'POST', '/debtors/D-1/write-off', { reason: 'incobrable' })).statusCode).toBe(403);
    expect((await call(h.app, viewerKey, 'POST', '/debtors/D-1/interactions', { channel: 'call', outcome: 'no_answer' })).statusCode).toBe(403);
    expect((await call(h.app, viewerKey, 'GET', '/reports/export/kpis?from=2026-03-01&to=2026-03-16')).statusCode).toBe(403);
    expect((await call(h.app, viewerKey, 'GET', '/dashboard?from=2026-03-01&to=2026-03-16')).statusCode).toBe(200);
  });

  it('sends to judicial and writes off with a reason (phase override), refusing an empty reason', async () => {
    expect((await call(h.app, h.a.key, 'POST', '/debtors/D-1/judicial', { reason: '' })).statusCode).toBe(400);
    const j = await call(h.app, h.a.key, 'POST', '/debtors/D-1/judicial', { reason: 'demanda presentada' });
    expect(j.statusCode).toBe(200);
    expect(j.json()).toEqual({ phase: 'judicial', portfolios: ['default'] });
    const [acc] = await h.database.query<{ phase: string; manual_phase_reason: string }>(
      sql`SELECT phase, manual_phase_reason FROM accounts WHERE company_id = ${h.a.companyId}`,
    );
    expect(acc).toEqual({ phase: 'judicial', manual_phase_reason: 'demanda presentada' });
  });

  it('exports XLSX and CSV, serves the JSON reporting API and the CSV feed', async () => {
    const x = await call(h.app, h.a.key, 'GET', '/reports/export/kpis?from=2026-03-01&to=2026-03-16&format=xlsx');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(x.headers['content-language']).toBe('en');
    expect(wb.getWorksheet('KPIs')!.rowCount).toBeGreaterThan(5);
    expect(wb.getWorksheet('KPIs')!.getRow(1).values).toEqual([undefined, 'name', 'currency', 'value', 'variant', 'formula']);
    // In Spanish by Accept-Language, or by ?language= (a plain link's), which wins over the header.
    const es = await call(h.app, h.a.key, 'GET', '/reports/export/kpis?from=2026-03-01&to=2026-03-16&format=csv', undefined, { 'accept-language': 'es-MX' });
    expect(es.headers['content-language']).toBe('es-MX');
    expect(es.body.replace(/^\uFEFF/, '')).toMatch(/^indicador,moneda,valor,variante,fórmula\r?\n/);
    // A KPI's formula is a sentence: in the download's language too (its name and variant are codes).
    expect(es.body).toMatch(/^dso,MXN,[\d.]*,period,DSO = saldo por cobrar al cierre ÷ ventas a crédito del periodo × días \(CRF\)\r?$/m);
    expect(es.body).not.toMatch(/ending AR|credit sales|attempts/);
    expect(x.headers['content-disposition']).toBe('attachment; filename="kpis-2026-03-16.xlsx"');
    // Without `to`, the file is named by the day it ends on (today, in the company's time zone), in either language.
    for (const language of ['en', 'es']) {
      const today = await call(h.app, h.a.key, 'GET', `/reports/export/portfolio?format=csv&language=${language}`);
      expect(today.headers['content-disposition']).toBe('attachment; filename="portfolio-2026-03-16.csv"');
    }
    const chosen = await call(h.app, h.a.key, 'GET', '/reports/export/kpis?from=2026-03-01&to=2026-03-16&format=csv&language=en', undefined, { 'accept-language': 'es-MX' });
    expect(chosen.body.replace(/^\uFEFF/, '')).toMatch(/^name,currency,value,variant,formula\r?\n/);
    expect(chosen.body).toMatch(/^dso,MXN,[\d.]*,period,DSO = ending AR ÷ credit sales of the period × days \(CRF\)\r?$/m);
    const dashboard = await call(h.app, h.a.key, 'GET', '/dashboard?from=2026-03-01&to=2026-03-16', undefined, { 'accept-language': 'es-MX' });
    expect(dashboard.headers['content-language']).toBe('es-MX');
    expect(dashboard.json().kpis).toContainEqual(expect.objectContaining({ name: 'contact_rate', formula: 'tasa de contacto = contestados ÷ intentos × 100' }));
    const english = await call(h.app, h.a.key, 'GET', '/dashboard?from=2026-03-01&to=2026-03-16');
    expect(english.json().kpis).toContainEqual(expect.objectContaining({ name: 'contact_rate', formula: 'contact rate = answered ÷ attempts × 100' }));
    const rows = await call(h.app, h.a.key, 'GET', '/reports/data/kpis?from=2026-03-01&to=2026-03-16&limit=1', undefined, { 'accept-language': 'es' });
    expect(rows.json().data[0].formula).toMatch(/^DSO = saldo por cobrar/);
    const feed = await call(h.app, h.a.key, 'GET', '/reports/feed/portfolio.csv?to=2026-03-16');
    expect(feed.statusCode).toBe(200);
    expect(feed.body).toContain('currency,phase,bucket,accounts,balance');
    const feedEs = await call(h.app, h.a.key, 'GET', '/reports/feed/portfolio.csv?to=2026-03-16&language=es');
    expect(feedEs.body).toContain('moneda,fase,tramo,cuentas,saldo');
    expect(feedEs.body).toMatch(/\nMXN,(preventiva|administrativa|extrajudicial|judicial),/);
    const data = await call(h.app, h.a.key, 'GET', '/reports/data/kpis?from=2026-03-01&to=2026-03-16&limit=3');
    expect(data.statusCode).toBe(200);
    expect(data.json().data).toHaveLength(3);
    expect(data.json().next_offset).toBe(3);
    expect((await call(h.app, h.a.key, 'GET', '/reports/data/nope?from=2026-03-01&to=2026-03-16')).statusCode).toBe(404);
    expect((await call(h.app, h.a.key, 'GET', '/reports/export/worklist?format=csv')).statusCode).toBe(400);
  });

  it('lists alerts', async () => {
    const r = await call(h.app, h.a.key, 'GET', '/alerts');
    expect(r.statusCode).toBe(200);
    expect(Array.isArray(r.json().data)).toBe(true);
  });
});
