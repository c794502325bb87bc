/**
 * What the CLI prints follows its language (COBRANZA_LANG / LANG; English by default): phase thresholds, segments,
 * the daily run's summary, KPI downloads and commander's usage errors, whose option and command names stay as typed.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBench, type CliBench } from '../support/run-cli.ts';

let bench: CliBench;

beforeAll(async () => {
  bench = await cliBench('cli-language');
});

afterAll(async () => bench?.close());

describe('the CLI in Spanish and in English', () => {
  it('shows phase thresholds', async () => {
    const en = await bench.run('en', 'phases', 'show', '--portfolio', 'default');
    expect(en.out).toMatch(/^portfolio default\n {2}preventive {7}DPD ≤ 0 \(reminders from \d+ days before due\)\n {2}administrative {3}DPD 1–/);
    expect(en.out).toMatch(/^ {2}grace days {7}\d+ \(delay the phase, not the DPD\)$/m);
    const es = await bench.run('es', 'phases', 'show', '--portfolio', 'default');
    expect(es.out).toMatch(/^cartera default\n {2}preventiva {7}atraso ≤ 0 \(recordatorios desde \d+ días antes del vencimiento\)\n {2}administrativa {3}atraso 1–/);
    expect(es.out).toMatch(/^ {2}judicial {9}atraso ≥ \d+$/m);
    expect(es.out).toMatch(/^ {2}días de gracia {3}\d+ \(retrasan la fase, no los días de atraso\)$/m);
    expect(es.out).not.toMatch(/portfolio|reminders|grace|DPD/);
  });

  it('lists segments', async () => {
    expect((await bench.run('es', 'segments', 'list')).out).toBe('no hay segmentos\n');
    expect((await bench.run('en', 'segments', 'list')).out).toBe('no segments\n');
    expect((await bench.run('en', 'segments', 'add', 'altos', '--rule', 'balance.MXN >= 1000')).code).toBe(0);
    expect((await bench.run('es', 'segments', 'list')).out).toMatch(/^nombre +regla\n/);
    expect((await bench.run('en', 'segments', 'list')).out).toMatch(/^name +rule\n/);
  });

  it('sums up the daily run', async () => {
    const es = await bench.run('es', 'run', '--as-of', '2026-03-30');
    expect(es.code).toBe(0);
    expect(es.out).toMatch(/^corrida \d+ al 2026-03-30: 0 cuentas \(ninguna\), 0 cambios de fase, \d+\.\d\d s\n$/);
    const en = await bench.run('en', 'run', '--as-of', '2026-03-31');
    expect(en.out).toMatch(/^run \d+ as of 2026-03-31: 0 accounts \(none\), 0 phase changes, \d+\.\d\d s\n$/);
    // One account, and on a later day one change of its phase: singular in both languages.
    await writeFile(join(bench.dir, 'd.csv'), 'external_id,name\nC1,Ana\n');
    await writeFile(join(bench.dir, 'o.csv'), 'external_id,debtor_external_id,currency,amount,due_on\nF1,C1,MXN,100.00,2026-03-31\n');
    expect((await bench.run('en', 'import', 'debtors', 'd.csv')).code).toBe(0);
    expect((await bench.run('en', 'import', 'obligations', 'o.csv')).code).toBe(0);
    const one = await bench.run('en', 'run', '--as-of', '2026-03-31', '--force');
    expect(one.out).toMatch(/^run \d+ as of 2026-03-31: 1 account \(preventive 1\), 0 phase changes, /);
    const uno = await bench.run('es', 'run', '--as-of', '2026-03-31', '--force');
    expect(uno.out).toMatch(/^corrida \d+ al 2026-03-31: 1 cuenta \(preventiva 1\), 0 cambios de fase, /);
  });

  it('downloads KPIs with headers in its language', async () => {
    const es = await bench.run('es', 'report', 'kpis', '--from', '2026-03-01', '--to', '2026-03-31', '--format', 'csv');
    expect(es.err).toBe('');
    expect(es.out.replace(/^\uFEFF/, '')).toMatch(/^indicador,moneda,valor,variante,fórmula\r?\n/);
    // The formulas too: a KPI's name and variant are codes, its formula a sentence.
    expect(es.out).toMatch(/^contact_rate,,,answered,tasa de contacto = contestados ÷ intentos × 100\r?$/m);
    expect(es.out).not.toMatch(/contact rate|attempts/);
    const en = await bench.run('en', 'report', 'kpis', '--from', '2026-03-01', '--to', '2026-03-31', '--format', 'csv');
    expect(en.out.replace(/^\uFEFF/, '')).toMatch(/^name,currency,value,variant,formula\r?\n/);
    expect(en.out).toMatch(/^contact_rate,,,answered,contact rate = answered ÷ attempts × 100\r?$/m);
    const json = await bench.run('es', 'report', 'kpis', '--from', '2026-03-01', '--to', '2026-03-31', '--format', 'json');
    expect(JSON.parse(json.out).kpis).toContainEqual(expect.objectContaining({ name: 'promise_to_pay_rate', formula: 'tasa de promesas = promesas obtenidas ÷ contactos con el titular × 100' }));
    expect((await bench.run('es', 'report', 'kpis', '--from', '2026-03-01', '--to', '2026-03-31')).out).toMatch(/^Indicadores 2026-03-01 → 2026-03-31 \(cartera al .*\)\nindicador +moneda +valor +variante\n/);
  });

  it("says commander's usage errors in Spanish, keeping the names typed", async () => {
    let r = await bench.run('es', 'segments', 'list', '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: opción desconocida '--frobnicate'\n(agregue --help para ver el uso)\n");
    r = await bench.run('es', 'import', 'debtors');
    expect(r.err).toMatch(/^error: falta el argumento obligatorio 'file'\n/);
    r = await bench.run('es', 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: comando desconocido 'frobnicate'\n/);
    r = await bench.run('es', 'run');
    expect(r.err).toMatch(/^error: falta la opción obligatoria '--as-of <date>'\n/);
    r = await bench.run('es', 'run', '--as-of');
    expect(r.err).toMatch(/^error: falta el valor de la opción '--as-of <date>'\n/);
    r = await bench.run('es', 'timeline', 'A', 'B');
    expect(r.err).toMatch(/^error: demasiados argumentos para 'timeline': se esperaba 1 argumento y se recibieron 2: A, B\.\n/);
    r = await bench.run('es', 'segments', 'lst');
    expect(r.err).toMatch(/\(¿Quiso decir list\?\)/);
    expect(r.err).not.toMatch(/unknown|missing|required|Did you mean|add --help/);
  });

  it('writes help in Spanish: commands, options, arguments and commander’s own words', async () => {
    const top = await bench.run('es', '--help');
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/^Uso: cobranza \[opciones\] \[comando\]\n\nGestión de cobranza: cartera, antigüedad de saldos, fases y segmentos\.\n/);
    expect(top.out).toMatch(/^Opciones:\n {2}-V, --version +muestra el número de versión\n {2}-h, --help +muestra la ayuda del comando$/m);
    expect(top.out).toMatch(/^Comandos:$/m);
    expect(top.out).toMatch(/^ {2}migrate +Aplicar las migraciones de la base de datos/m);
    expect(top.out).toMatch(/^ {2}help \[comando\] +muestra la ayuda de un comando$/m);
    expect(top.out).not.toMatch(/Usage|Options|Commands|display help|Collections management/);
    const kpis = await bench.run('es', 'report', 'kpis', '--help');
    expect(kpis.out).toMatch(/^Uso: cobranza report kpis \[opciones\]\n\nIndicadores de cobranza de un periodo/);
    expect(kpis.out).toMatch(/--from <date> +primer día, AAAA-MM-DD/);
    expect(kpis.out).toMatch(/--format <format> +table \| json \| xlsx \| csv \(predeterminado: "table"\)/);
    const hold = await bench.run('es', 'hold', 'add', '--help');
    expect(hold.out).toMatch(/^Argumentos:\n {2}debtor +id externo del deudor$/m);
    expect(hold.out).toMatch(/--expires <date> +AAAA-MM-DD; la suspensión termina ese día/);
  });

  it('keeps help in English by default', async () => {
    const top = await bench.run('en', '--help');
    expect(top.out).toMatch(/^Usage: cobranza \[options\] \[command\]\n\nCollections management: portfolio, aging, phases and segments\.\n/);
    expect(top.out).toMatch(/^ {2}-h, --help +display help for command$/m);
    expect(top.out).not.toMatch(/Gestión|Opciones|muestra/);
    expect((await bench.run('en', 'hold', 'add', '--help')).out).toMatch(/^Arguments:\n {2}debtor +debtor external id$/m);
  });

  it('confirms what a command did in its language', async () => {
    expect((await bench.run('es', 'segments', 'add', 'medianos', '--rule', 'balance.MXN >= 500')).out).toBe('segmento "medianos" guardado; se aplica desde la próxima corrida\n');
    expect((await bench.run('en', 'segments', 'add', 'chicos', '--rule', 'balance.MXN < 500')).out).toBe('segment "chicos" saved; it applies from the next run\n');
    expect((await bench.run('es', 'segments', 'remove', 'medianos')).out).toBe('segmento "medianos" eliminado\n');
    expect((await bench.run('es', 'migrate')).out).toBe('la base de datos ya estaba al día\n');
    expect((await bench.run('es', 'strategies', 'list')).out).toBe('no hay estrategias (cree una con "cobranza strategies apply ARCHIVO")\n');
    expect((await bench.run('es', 'replies', 'list')).out).toBe('no hay respuestas pendientes\n');
    expect((await bench.run('en', 'replies', 'list')).out).toBe('no replies waiting\n');
    // Tables too: the audit log's headers.
    expect((await bench.run('es', 'audit', 'list', '--limit', '1')).out).toMatch(/^fecha +actor +acción +entidad +id +cambio\n/);
    expect((await bench.run('en', 'audit', 'list', '--limit', '1')).out).toMatch(/^at +actor +action +entity +entity_id +change\n/);
    expect((await bench.run('es', 'strategies', 'simulate', '--from', '2026-03-30', '--to', '2026-03-31')).out).toBe('no hay estrategias activas que simular\n');
    expect((await bench.run('es', 'phases', 'set', '--portfolio', 'default', '--grace-days', '0')).out).toMatch(/^cartera default: administrativa \d+, extrajudicial \d+, judicial \d+, gracia 0, preventiva \d+; se aplica desde la próxima corrida\n$/);
  });

  it("keeps commander's usage errors in English by default", async () => {
    const r = await bench.run('en', 'segments', 'list', '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: unknown option '--frobnicate'\n(add --help for usage)\n");
  });
});
