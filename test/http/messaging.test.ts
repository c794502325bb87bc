/**
 * Strategies, the debtor timeline, the compliance report and the sandbox over HTTP: a strategy applied as YAML text,
 * listed, shown, simulated (nothing written), paused and activated; a planned and dispatched day read back as a
 * timeline and a compliance report (JSON, CSV, XLSX); a sandbox reply pausing the strategy and a "BAJA" opting out.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPortfolio } from '../../src/modules/collection-runs/index.ts';
import { createApiKey } from '../../src/modules/access/api-keys.ts';
import { buildServer } from '../../src/http/server.ts';
import { NO_WEBHOOKS } from '../../src/http/webhook-config.ts';
import { dispatchDue, setAutomationSettings } from '../../src/modules/messaging/index.ts';
import { createSandboxProvider } from '../../src/providers/sandbox.ts';
import { createTestCompany } from '../support/database.ts';
import { createWorld, type World } from '../strategies/helpers.ts';
import { call } from './harness.ts';
import { contactDecisions } from '../../src/db/schema.ts';
import { decideContact, RULE_SETS, storedReason } from '../../src/domain/compliance/index.ts';

const FILE = `
name: recordatorios
portfolio: default
rules:
  - phase: preventive
    steps:
      - { id: pre-5, trigger: -5, channel: sms, template: preventive_reminder, fallback: email }
      - { id: due-0, trigger: 0, channel: sms, template: due_today }
`;

let w: World;
let app: FastifyInstance;
let key: string;
let otherKey: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-05T18:00:00Z');
  await setAutomationSettings(w.ctx, { sender: { creditor: { name: 'Acme', legal_id: 'ACM010101AB1', phone: '800 000 0000' }, payment_link: 'https://p.acme.example/{debtor}' } });
  key = (await createApiKey({ database: w.database, companyId: w.ctx.companyId, name: 'a' })).key;
  const other = await createTestCompany(w.database, 'other', 'MX');
  otherKey = (await createApiKey({ database: w.database, companyId: other.id, name: 'b' })).key;
  app = buildServer({ database: w.database, clock: w.clock, webhooks: NO_WEBHOOKS });
  await app.ready();
  ids.A = await w.debtor('A', { phone: '+525511110001', whatsapp: '+525511110001' });
  ids.B = await w.debtor('B', { phone: '+525511110002' });
  for (const k of ['A', 'B']) await w.obligation(ids[k]!, `${k}-1`, '2026-03-10', 50_000n);
});

afterAll(async () => {
  await app?.close();
  await w?.close();
});

describe('strategies', () => {
  it('applies a YAML file as text, then the same file changes nothing', async () => {
    const first = await app.inject({ method: 'POST', url: '/strategies', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/yaml' }, payload: FILE });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ name: 'recordatorios', portfolio: 'default', version: 1, version_created: true, strategy_created: true });
    const again = await app.inject({ method: 'POST', url: '/strategies', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' }, payload: FILE });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ version: 1, version_created: false });
  });

  it('applies a JSON object as a new version', async () => {
    const definition = {
      name: 'recordatorios',
      portfolio: 'default',
      rules: [{ phase: 'preventive', steps: [{ id: 'pre-5', trigger: -5, channel: 'sms', template: 'preventive_reminder', fallback: 'email' }, { id: 'due-0', trigger: 0, channel: 'sms', template: 'due_today' }] }],
      description: 'v2',
    };
    const r = await call(app, key, 'POST', '/strategies', definition);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ version: 2, strategy_created: false });
  });

  it('refuses an invalid strategy with the path of each problem', async () => {
    const r = await app.inject({ method: 'POST', url: '/strategies', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/yaml' }, payload: 'name: x\nportfolio: nope\nrules: []\n' });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('validation_failed');
    const bad = await call(app, key, 'POST', '/strategies', { name: 'y', portfolio: 'default', rules: [{ phase: 'preventive', steps: [{ id: 's', trigger: 0, channel: 'sms', template: 'no_such_template' }] }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.length).toBeGreaterThan(0);
    const unauth = await call(app, null, 'POST', '/strategies', { name: 'z' });
    expect(unauth.statusCode).toBe(401);
  });

  it('lists and shows strategies, scoped to the company', async () => {
    const list = await call(app, key, 'GET', '/strategies');
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toEqual([expect.objectContaining({ name: 'recordatorios', status: 'active', version: 2, versions: 2 })]);
    expect((await call(app, otherKey, 'GET', '/strategies')).json().data).toEqual([]);
    const show = await call(app, key, 'GET', '/strategies/recordatorios');
    expect(show.statusCode).toBe(200);
    expect(show.json()).toMatchObject({ name: 'recordatorios', version: 2, active: true, versions: [{ version: 2, active: true }, { version: 1, active: false }] });
    const v1 = await call(app, key, 'GET', '/strategies/recordatorios?version=1');
    expect(v1.json()).toMatchObject({ version: 1, active: false, source: FILE });
    expect((await call(app, otherKey, 'GET', '/strategies/recordatorios')).statusCode).toBe(404);
  });

  it('pauses and activates a strategy', async () => {
    const paused = await call(app, key, 'POST', '/strategies/recordatorios/pause');
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json().status).toBe('paused');
    const active = await call(app, key, 'POST', '/strategies/recordatorios/activate');
    expect(active.json().status).toBe('active');
    expect((await call(app, key, 'POST', '/strategies/nope/pause')).statusCode).toBe(404);
  });

  it('simulates without writing anything', async () => {
    await runPortfolio(w.ctx, { asOf: '2026-03-05' });
    const r = await call(app, key, 'POST', '/strategies/simulate', { from: '2026-03-05', to: '2026-03-11' });
    expect(r.statusCode, r.body).toBe(200);
    const sim = r.json();
    expect(sim).toMatchObject({ from: '2026-03-05', to: '2026-03-11', strategies: [{ name: 'recordatorios', version: 2 }] });
    expect(sim.strategies[0].days).toHaveLength(7);
    expect(sim.strategies[0].totals.messages).toBeGreaterThan(0);
    expect(await w.messages()).toHaveLength(0);
    const draft = await call(app, key, 'POST', '/strategies/simulate', { from: '2026-03-05', to: '2026-03-06', file: FILE.replace('recordatorios', 'borrador') });
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json().strategies[0]).toMatchObject({ name: 'borrador', version: null });
    const bad = await call(app, key, 'POST', '/strategies/simulate', { from: '2026-03-06', to: '2026-03-05' });
    expect(bad.statusCode).toBe(400);
    const invalid = await call(app, key, 'POST', '/strategies/simulate', { from: '2026-02-30', to: '2026-03-05' });
    expect(invalid.statusCode).toBe(400);
  });
});

describe('a planned and dispatched day', () => {
  beforeAll(async () => {
    await w.day('2026-03-05', '18:00:00Z');
    await dispatchDue(w.ctx, { providers: { sms: createSandboxProvider('sms', { clock: w.clock }), email: createSandboxProvider('email', { clock: w.clock }) } });
  });

  it('shows in the debtor timeline, in order', async () => {
    const r = await call(app, key, 'GET', '/debtors/A/timeline');
    expect(r.statusCode, r.body).toBe(200);
    const kinds = r.json().data.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('message');
    const message = r.json().data.find((e: { kind: string }) => e.kind === 'message');
    expect(message).toMatchObject({ channel: 'sms', details: { status: 'sent', step: 'pre-5' } });
    expect(message.summary).toBe('Message by sms (preventive_reminder): sent');
    expect(r.headers['content-language']).toBe('en');
    const es = await call(app, key, 'GET', '/debtors/A/timeline', undefined, { 'accept-language': 'es-MX,es;q=0.9' });
    expect(es.headers['content-language']).toBe('es-MX');
    expect(es.headers.vary).toMatch(/Accept-Language/);
    expect(es.json().data.find((e: { kind: string }) => e.kind === 'message').summary).toBe('Mensaje por sms (preventive_reminder): enviado');
    const ats = r.json().data.map((e: { at: string }) => e.at);
    expect([...ats].sort()).toEqual(ats);
    expect((await call(app, key, 'GET', '/debtors/NOPE/timeline')).statusCode).toBe(404);
    expect((await call(app, otherKey, 'GET', '/debtors/A/timeline')).statusCode).toBe(404);
    expect((await call(app, key, 'GET', '/debtors/A/timeline?limit=0')).statusCode).toBe(400);
  });

  it("gives a compliance refusal's reason in the reader's language", async () => {
    const c = await w.debtor('C', { phone: '+525511110003' });
    // Sunday 8 March 2026, 23:30 in Mexico City: outside the hours, whatever the day's.
    const d = decideContact({ rules: RULE_SETS.MX, timeZone: 'America/Mexico_City', channel: 'sms', at: new Date('2026-03-09T05:30:00Z'), consent: { sms: 'granted' } });
    expect(d.allowed).toBe(false);
    await w.database.db
      .insert(contactDecisions)
      .values({ companyId: w.ctx.companyId, debtorId: c, channel: 'sms', at: w.clock.now(), stage: 'plan', allowed: false, rule: d.rule, reason: storedReason(d.reasonCode), nextAllowedAt: d.nextAllowedAt, ruleSet: 'MX' });
    const refusal = async (language: string) => ((await call(app, key, 'GET', '/debtors/C/timeline', undefined, { 'accept-language': language })).json().data as Array<{ kind: string; summary: string }>).find((e) => e.kind === 'refusal')!;
    expect((await refusal('en')).summary).toBe(`Contact by sms not allowed (${d.rule}): ${d.reasonEn}`);
    expect((await refusal('es-MX')).summary).toBe(`Contacto por sms no permitido (${d.rule}): ${d.reason}`);
    expect(d.reasonEn).toMatch(/Next allowed: Monday, March 9, 2026/);
    expect(d.reason).toMatch(/Próximo momento permitido: lunes 9 de marzo de 2026/);
  });

  it('is in the compliance report as JSON, CSV and XLSX', async () => {
    const r = await call(app, key, 'GET', '/reports/compliance?from=2026-03-05&to=2026-03-05');
    expect(r.statusCode, r.body).toBe(200);
    const rows = r.json().data;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]).toMatchObject({ debtor: expect.any(String), channel: 'sms', allowed: true, rule: expect.any(String), reason_code: 'allowed', reason: expect.stringMatching(/^Contact by SMS is allowed now/) });
    expect(r.headers['content-language']).toBe('en');
    const es = await call(app, key, 'GET', '/reports/compliance?from=2026-03-05&to=2026-03-05', undefined, { 'accept-language': 'es-MX' });
    expect(es.headers['content-language']).toBe('es-MX');
    expect(es.json().data[0]).toMatchObject({ reason_code: 'allowed', reason: expect.stringMatching(/^Contacto por SMS permitido/) });
    expect((await call(app, otherKey, 'GET', '/reports/compliance?from=2026-03-05&to=2026-03-05')).json().data).toEqual([]);

    const csv = await call(app, key, 'GET', '/reports/compliance?from=2026-03-05&to=2026-03-05&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('at,debtor,name,country,channel,stage,allowed,rule,rule_set,reason,next_allowed_at,message,task,reason_code');
    expect(lines).toHaveLength(rows.length + 1);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="compliance_2026-03-05_2026-03-05.csv"');
    // A plain link names its language: Spanish headers, reasons and file name; codes stay codes.
    const csvEs = await call(app, key, 'GET', '/reports/compliance?from=2026-03-05&to=2026-03-05&format=csv&language=es');
    const linesEs = csvEs.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(linesEs[0]).toBe('fecha_hora,deudor,nombre,pais,canal,etapa,permitido,regla,reglamento,motivo,proximo_permitido,mensaje,tarea,codigo_motivo');
    expect(linesEs[1]).toMatch(/,sms,plan,true,allowed,MX,"Contacto por SMS permitido en este momento según las reglas de México/);
    expect(csvEs.headers['content-disposition']).toBe('attachment; filename="cumplimiento_2026-03-05_2026-03-05.csv"');
    expect(csvEs.headers['content-language']).toBe('es-MX');

    const xlsx = await call(app, key, 'GET', '/reports/compliance?from=2026-03-05&to=2026-03-05&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(rows.length + 1);
    expect(book.worksheets[0]!.name).toBe('compliance');
    const xlsxEs = await call(app, key, 'GET', '/reports/compliance?from=2026-03-05&to=2026-03-05&format=xlsx', undefined, { 'accept-language': 'es' });
    const bookEs = new ExcelJS.Workbook();
    await bookEs.xlsx.load(xlsxEs.rawPayload as unknown as ArrayBuffer);
    expect(bookEs.worksheets[0]!.name).toBe('cumplimiento');
    expect(bookEs.worksheets[0]!.getRow(1).getCell(1).value).toBe('fecha_hora');

    expect((await call(app, key, 'GET', '/reports/compliance?from=2026-03-06&to=2026-03-05')).statusCode).toBe(400);
    expect((await call(app, key, 'GET', '/reports/compliance?from=2026-03-05&to=2026-03-05&language=fr')).statusCode).toBe(400);
    expect((await call(app, key, 'GET', '/reports/compliance?from=2026-03-05&to=2026-03-05&format=pdf')).statusCode).toBe(400);
    expect((await call(app, key, 'GET', '/reports/compliance?from=2026-03-05')).statusCode).toBe(400);
  });
});

describe('sandbox replies', () => {
  it('a reply pauses the strategy for the debtor and lands on the timeline', async () => {
    w.clock.advance(60_000);
    const r = await call(app, key, 'POST', '/sandbox/replies', { debtor_external_id: 'A', text: 'Pago el viernes' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ channel: 'sms', from: '+525511110001', attributed: true, opted_out: false, paused: true });
    const timeline = (await call(app, key, 'GET', '/debtors/A/timeline')).json().data;
    expect(timeline.at(-1)).toMatchObject({ kind: 'reply', channel: 'sms', details: { text: 'Pago el viernes' } });
  });

  it('"BAJA" opts the debtor out of that channel', async () => {
    const r = await call(app, key, 'POST', '/sandbox/replies', { debtor_external_id: 'B', channel: 'whatsapp', text: 'BAJA' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ channel: 'whatsapp', opted_out: true, paused: false });
  });

  it('refuses bad input', async () => {
    expect((await call(app, key, 'POST', '/sandbox/replies', { debtor_external_id: 'NOPE', text: 'hola' })).statusCode).toBe(404);
    expect((await call(app, otherKey, 'POST', '/sandbox/replies', { debtor_external_id: 'A', text: 'hola' })).statusCode).toBe(404);
    expect((await call(app, key, 'POST', '/sandbox/replies', { debtor_external_id: 'A', channel: 'letter', text: 'hola' })).statusCode).toBe(400);
    expect((await call(app, key, 'POST', '/sandbox/replies', { debtor_external_id: 'A', text: '   ' })).statusCode).toBe(400);
    expect((await call(app, key, 'POST', '/sandbox/replies', { debtor_external_id: 'A' })).statusCode).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('documents the new routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of ['/strategies', '/strategies/{name}', '/strategies/simulate', '/debtors/{external_id}/timeline', '/reports/compliance', '/sandbox/replies', '/webhooks/whatsapp/{company}', '/webhooks/twilio/{company}/status']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});
