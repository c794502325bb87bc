/** `cobranza timeline`, `cobranza sandbox reply` and `cobranza compliance report` through the real program (runCli). */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDue, setAutomationSettings } from '../../src/modules/messaging/index.ts';
import { applyStrategy } from '../../src/modules/strategies/index.ts';
import { createSandboxProvider } from '../../src/providers/sandbox.ts';
import { createWorld, type World } from '../strategies/helpers.ts';
import { runInProcess } from '../support/run-cli.ts';
import { contactDecisions } from '../../src/db/schema.ts';
import { decideContact, RULE_SETS, storedReason } from '../../src/domain/compliance/index.ts';
import { addHold } from '../../src/modules/collection-runs/index.ts';

let w: World;
let dir: string;

const run = (...argv: string[]) => runInProcess(w.database, w.clock, dir, 'en', argv);

beforeAll(async () => {
  w = await createWorld('MX', '2026-03-05T18:00:00Z');
  dir = await mkdtemp(join(tmpdir(), 'cobranza-messaging-cli-'));
  await setAutomationSettings(w.ctx, { sender: { creditor: { name: 'Acme', legal_id: 'ACM010101AB1', phone: '800 000 0000' }, payment_link: 'https://p.acme.example/{debtor}' } });
  await applyStrategy(w.ctx, {
    source: 'name: s\nportfolio: default\nrules:\n  - phase: preventive\n    steps:\n      - { id: pre-5, trigger: -5, channel: sms, template: preventive_reminder }\n',
  });
  const a = await w.debtor('A', { phone: '+525511110001', whatsapp: '+525511110001' });
  await w.debtor('B', { phone: '+525511110002', email: null });
  await w.obligation(a, 'A-1', '2026-03-10', 50_000n);
  await w.day('2026-03-05', '18:00:00Z');
  await dispatchDue(w.ctx, { providers: { sms: createSandboxProvider('sms', { clock: w.clock }) } });
  w.clock.advance(60_000);
});

afterAll(async () => {
  await w?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('cobranza sandbox reply', () => {
  it('records a reply that pauses the strategy', async () => {
    const r = await run('sandbox', 'reply', 'A', 'Pago mañana');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/reply recorded on sms from \+525511110001: the strategy is paused for A/);
  });

  it('"BAJA" opts out of the channel given', async () => {
    const r = await run('sandbox', 'reply', 'B', 'BAJA', '--channel', 'whatsapp', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ channel: 'whatsapp', opted_out: true, paused: false });
    expect(JSON.stringify(json)).not.toMatch(/"[a-z]+[A-Z]\w*":/);
  });

  it('refuses an unknown debtor, a bad channel and a channel without address', async () => {
    expect(await run('sandbox', 'reply', 'NOPE', 'hola')).toMatchObject({ code: 1, err: expect.stringMatching(/debtor "NOPE" does not exist/) });
    expect((await run('sandbox', 'reply', 'A', 'hola', '--channel', 'letter')).code).not.toBe(0);
    expect(await run('sandbox', 'reply', 'B', 'hola', '--channel', 'email')).toMatchObject({ code: 1, err: expect.stringMatching(/no email address/) });
  });
});

describe('cobranza timeline', () => {
  it('prints the message, its refusal-free path and the reply in order', async () => {
    const r = await run('timeline', 'A');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^A \(America\/Mexico_City\)\nat +kind +channel +summary\n/);
    const message = r.out.indexOf('Message by sms (preventive_reminder): sent');
    const reply = r.out.indexOf('Reply from the debtor by sms: "Pago mañana"');
    expect(message).toBeGreaterThan(0);
    expect(reply).toBeGreaterThan(message);
    expect(r.out).toMatch(/Placed in the portfolio in phase preventive \(5 Mar 2026\)/);
    expect(r.out).not.toMatch(/Mensaje|Respuesta|fase/);
    const json = JSON.parse((await run('timeline', 'A', '--json')).out);
    expect(json.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['message', 'reply']));
    expect(await run('timeline', 'NOPE')).toMatchObject({ code: 1, err: expect.stringMatching(/does not exist/) });
  });

  it('speaks Spanish with COBRANZA_LANG=es', async () => {
    const r = await runInProcess(w.database, w.clock, dir, 'es', ['timeline', 'A']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^A \(America\/Mexico_City\)\nfecha +tipo +canal +detalle\n/);
    expect(r.out).toMatch(/Mensaje por sms \(preventive_reminder\): enviado/);
    expect(r.out).toMatch(/Respuesta del deudor por sms: "Pago mañana"/);
    expect(r.out).toMatch(/Ingreso a la cartera en fase preventiva \(5 mar 2026\)/);
    expect(r.out).not.toMatch(/Message|Reply|Placed/);
  });

  it("gives a compliance refusal's reason in its language; one logged as a Spanish sentence stays as it was", async () => {
    const c = await w.debtor('C', { phone: '+525511110003' });
    await addHold(w.ctx, { debtorExternalId: 'C', reason: 'legal' });
    const d = decideContact({ rules: RULE_SETS.MX, timeZone: 'America/Mexico_City', channel: 'sms', at: w.clock.now(), holds: ['legal'] });
    const old = 'La cuenta tiene una suspensión por una demanda judicial notificada; el contacto de cobranza queda suspendido mientras siga activa.';
    const row = { companyId: w.ctx.companyId, debtorId: c, channel: 'sms', at: w.clock.now(), stage: 'plan', allowed: false, rule: d.rule, ruleSet: 'MX' };
    await w.database.db.insert(contactDecisions).values([
      { ...row, reason: storedReason(d.reasonCode) },
      { ...row, reason: old },
    ]);
    const en = await run('timeline', 'C');
    expect(en.out).toContain('Contact by sms not allowed (hold.legal): The account is on hold because of a lawsuit served; collection contact is suspended while the hold is active.');
    expect(en.out).toContain(`Contact by sms not allowed (hold.legal): ${old}`);
    const es = await runInProcess(w.database, w.clock, dir, 'es', ['timeline', 'C']);
    expect(es.out.split(`Contacto por sms no permitido (hold.legal): ${old}`)).toHaveLength(3);
    expect(JSON.parse((await run('timeline', 'C', '--json')).out).filter((e: { kind: string }) => e.kind === 'refusal').map((e: { details: { reason_code: string | null } }) => e.details.reason_code)).toEqual(['hold', null]);
  });
});

describe('cobranza compliance report', () => {
  it('writes CSV to standard output, JSON, and XLSX to a file', async () => {
    const csv = await run('compliance', 'report', '--from', '2026-03-05', '--to', '2026-03-05');
    expect(csv.err).toBe('');
    expect(csv.code).toBe(0);
    const lines = csv.out.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('at,debtor,name,country,channel,stage,allowed,rule,rule_set,reason,next_allowed_at,message,task,reason_code');
    expect(lines.length).toBeGreaterThanOrEqual(3); // planned and dispatched: two decisions
    expect(lines[1]).toMatch(/,sms,plan,true,allowed,MX,"Contact by SMS is allowed now under the rules of Mexico \(CONDUSEF, financial institutions\)\.",[^,]+,\d+,,allowed$/);

    const json = JSON.parse((await run('compliance', 'report', '--from', '2026-03-05', '--to', '2026-03-05', '--format', 'json')).out);
    expect(json).toHaveLength(lines.length - 1);
    expect(json[0]).toMatchObject({ debtor: 'A', channel: 'sms', allowed: true, reason_code: 'allowed', reason: expect.stringMatching(/^Contact by SMS is allowed now/) });

    const x = await run('compliance', 'report', '--from', '2026-03-05', '--to', '2026-03-05', '--format', 'xlsx', '--out', 'cumplimiento.xlsx');
    expect(x.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(join(dir, 'cumplimiento.xlsx'))) as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(lines.length);
    expect(book.worksheets[0]!.name).toBe('compliance');

    const empty = JSON.parse((await run('compliance', 'report', '--from', '2026-01-01', '--to', '2026-01-02', '--format', 'json')).out);
    expect(empty).toEqual([]);
  });

  it('speaks Spanish with COBRANZA_LANG=es: headers, sheet and reasons; codes stay codes', async () => {
    const es = (...argv: string[]) => runInProcess(w.database, w.clock, dir, 'es', argv);
    const csv = await es('compliance', 'report', '--from', '2026-03-05', '--to', '2026-03-05');
    expect(csv.code).toBe(0);
    const lines = csv.out.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('fecha_hora,deudor,nombre,pais,canal,etapa,permitido,regla,reglamento,motivo,proximo_permitido,mensaje,tarea,codigo_motivo');
    expect(lines[1]).toMatch(/,sms,plan,true,allowed,MX,"Contacto por SMS permitido en este momento según las reglas de México \(CONDUSEF, entidades financieras\)\.",[^,]+,\d+,,allowed$/);
    expect(csv.out).not.toMatch(/Contact by/);
    const json = JSON.parse((await es('compliance', 'report', '--from', '2026-03-05', '--to', '2026-03-05', '--format', 'json')).out);
    expect(json[0]).toMatchObject({ reason_code: 'allowed', reason: expect.stringMatching(/^Contacto por SMS permitido/) });
    expect((await es('compliance', 'report', '--from', '2026-03-05', '--to', '2026-03-05', '--format', 'xlsx', '--out', 'cumplimiento-es.xlsx')).code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(join(dir, 'cumplimiento-es.xlsx'))) as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.name).toBe('cumplimiento');
    expect(book.worksheets[0]!.getRow(1).getCell(10).value).toBe('motivo');
  });

  it('refuses bad dates and xlsx without a file; check still works beside it', async () => {
    expect(await run('compliance', 'report', '--from', '2026-03-06', '--to', '2026-03-05')).toMatchObject({ code: 1, err: expect.stringMatching(/before/) });
    expect(await run('compliance', 'report', '--from', '2026-02-30', '--to', '2026-03-05')).toMatchObject({ code: 1 });
    expect(await run('compliance', 'report', '--from', '2026-03-05', '--to', '2026-03-05', '--format', 'xlsx')).toMatchObject({ code: 1, err: expect.stringMatching(/--out/) });
    expect((await run('compliance', 'report', '--to', '2026-03-05')).code).not.toBe(0);
    const check = await run('compliance', 'check', '--country', 'MX', '--time-zone', 'America/Mexico_City', '--channel', 'sms', '--at', '2026-03-09T12:00:00-06:00');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.out)).toMatchObject({ allowed: true });
  });
});
