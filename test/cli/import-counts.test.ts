/**
 * The import's one-line outcome reads as English and Spanish do: "1 debtor row", "1 was inserted", "1 error",
 * "2 errores", whatever the counts. A rejected bank statement is printed the same way (one shared printer), counting
 * every problem found, also beyond the 1,000 listed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../src/domain/text.ts';
import { cliBench, type CliBench } from '../support/run-cli.ts';

let bench: CliBench;
let dir: string;
const run = (language: Language, ...argv: string[]) => bench.run(language, ...argv);

beforeAll(async () => {
  bench = await cliBench('import-counts');
  dir = bench.dir;
  await writeFile(join(dir, 'uno.csv'), 'external_id,name\nU-1,Ana\n');
  await writeFile(join(dir, 'dos.csv'), 'external_id,name\nU-1,Ana\nU-2,Beto\n');
  await writeFile(join(dir, 'un-error.csv'), 'external_id,debtor_external_id,currency,amount,due_on\nUF-1,U-404,MXN,10,2026-03-01\n');
  await writeFile(join(dir, 'dos-errores.csv'), 'external_id,debtor_external_id,currency,amount,due_on\nUF-1,U-404,MXN,10,2026-03-01\nUF-2,U-405,MXN,10,2026-03-01\n');
  await writeFile(join(dir, 'estado-malo.csv'), 'fecha,importe,referencia,id_movimiento\n2026-03-14,75.00,,MOV-1\n2026-02-30,abc,123,MOV-2\n');
  const rows = Array.from({ length: 1005 }, (_, i) => `2026-03-14,10.00,,MOV-${i}`);
  await writeFile(join(dir, 'estado-enorme.csv'), `fecha,importe,referencia,id_movimiento\n${rows.join('\n')}\n`);
});

afterAll(async () => bench?.close());

describe('import counts', () => {
  it('says one row and two rows, one insert and two, as English does', async () => {
    expect((await run('en', 'import', 'debtors', 'uno.csv', '--dry-run')).out).toBe('uno.csv: 1 debtor row OK — 1 would be inserted, 0 updated, 0 unchanged (dry run: nothing written)\n');
    expect((await run('en', 'import', 'debtors', 'uno.csv')).out).toBe('uno.csv: 1 debtor row OK — 1 was inserted, 0 updated, 0 unchanged\n');
    expect((await run('en', 'import', 'debtors', 'dos.csv')).out).toBe('dos.csv: 2 debtor rows OK — 1 was inserted, 0 updated, 1 unchanged\n');
  });

  it('counts the errors of a rejected file in the reader\'s language', async () => {
    let r = await run('en', 'import', 'obligations', 'un-error.csv');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^un-error\.csv: rejected, 1 error; nothing was written\n$/m);
    r = await run('en', 'import', 'obligations', 'dos-errores.csv');
    expect(r.err).toMatch(/^dos-errores\.csv: rejected, 2 errors; nothing was written\n$/m);
    r = await run('es', 'import', 'obligations', 'un-error.csv');
    expect(r.err).toMatch(/^un-error\.csv: rechazado, 1 error; no se escribió nada\n$/m);
    r = await run('es', 'import', 'obligations', 'dos-errores.csv');
    expect(r.err).toMatch(/^dos-errores\.csv: rechazado, 2 errores; no se escribió nada\n$/m);
  });

  it('prints a rejected bank statement in English by default', async () => {
    const r = await run('en', 'import', 'bank-statement', 'estado-malo.csv');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^line 2: reference: is required for a deposit$/m);
    expect(r.err).toMatch(/^estado-malo\.csv: rejected, 3 errors; nothing was written$/m);
  });

  it('prints a rejected bank statement in Spanish, reasons included, and reports them so', async () => {
    const r = await run('es', 'import', 'bank-statement', 'estado-malo.csv', '--report', 'estado-malo.json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^línea 2: reference: es obligatoria para un depósito$/m);
    expect(r.err).toMatch(/^línea 3: amount: /m);
    expect(r.err).toMatch(/^estado-malo\.csv: rechazado, 3 errores; no se escribió nada$/m);
    expect(r.err).not.toMatch(/\bline\b|rejected|nothing|required/);
    const report = JSON.parse(await readFile(join(dir, 'estado-malo.json'), 'utf8')) as { errors: Array<{ reason: string }>; error_count: number };
    expect(report.errors[0]!.reason).toBe('es obligatoria para un depósito');
    expect(report.error_count).toBe(3);
  });

  it('names a problem of the whole file or of a row in Spanish too', async () => {
    await writeFile(join(dir, 'vacio.csv'), '');
    await writeFile(join(dir, 'chueco.csv'), 'external_id,name\nV-1,Uno,de más\n');
    expect((await run('es', 'import', 'debtors', 'vacio.csv')).err).toMatch(/^línea 1: archivo: el archivo está vacío/m);
    expect((await run('es', 'import', 'debtors', 'chueco.csv')).err).toMatch(/^línea 2: fila: tiene 3 campos; el encabezado tiene 2$/m);
    expect((await run('en', 'import', 'debtors', 'vacio.csv')).err).toMatch(/^line 1: file: the file is empty/m);
  });

  it('counts every problem of a bank statement, also beyond the 1,000 it lists', async () => {
    const r = await run('en', 'import', 'bank-statement', 'estado-enorme.csv');
    expect(r.code).toBe(1);
    expect(r.err.match(/^line /gm)).toHaveLength(1000);
    expect(r.err).toMatch(/^estado-enorme\.csv: rejected, 1005 errors \(the first 1000 are listed above\); nothing was written$/m);
    const es = await run('es', 'import', 'bank-statement', 'estado-enorme.csv');
    expect(es.err).toMatch(/^estado-enorme\.csv: rechazado, 1005 errores \(arriba se listan los primeros 1000\); no se escribió nada$/m);
  });
});
