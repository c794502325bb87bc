/**
 * Bank statement reconciliation: deposits matched by reference (or CLABE) and amount are applied; unmatched and
 * mismatched lines are raised as alerts; importing the same statement again changes nothing; a file with bad rows is
 * rejected whole with `line N: column: reason`.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentLink, importBankStatement, listPaymentAlerts, setPaymentSettings, type PaymentLink } from '../../src/modules/payments/index.ts';
import { createPaymentsWorld, type PaymentsWorld } from './helpers.ts';

let w: PaymentsWorld;
let dir = '';
let first: PaymentLink;
let second: PaymentLink;
let third: PaymentLink;

beforeAll(async () => {
  w = await createPaymentsWorld();
  dir = await mkdtemp(join(tmpdir(), 'cobranza-bank-'));
  const ana = await w.debtor('ANA');
  const beto = await w.debtor('BETO');
  const a1 = await w.obligation('ANA', 'A-1', '2026-02-01', '1000.00');
  await w.obligation('BETO', 'B-1', '2026-02-10', '800.00');
  await setPaymentSettings(w.ctx, { provider: 'bank_reference', bank_reference: { clabe_prefix: '6461801234', reference_prefix: '9', reference_length: 8, check_digit: 'mod97' } });
  first = await createPaymentLink(w.ctx, { debtorId: ana, target: { kind: 'obligation', id: a1 }, currency: 'MXN', amount: 60_000n });
  second = await createPaymentLink(w.ctx, { debtorId: beto, target: { kind: 'debtor' }, currency: 'MXN' });
  third = await createPaymentLink(w.ctx, { debtorId: beto, target: { kind: 'debtor' }, currency: 'MXN', amount: 5_000n });
});

afterAll(async () => {
  await w?.close();
});

const csv = (lines: string[]) => Readable.from([Buffer.from(lines.join('\n') + '\n')]);

describe('importBankStatement', () => {
  it('rejects a file with bad rows whole, naming each line and column, and writes nothing', async () => {
    const result = await importBankStatement(w.ctx, {
      stream: csv([
        'Fecha,Importe,Referencia,Clave de rastreo',
        `2026-03-14,600.00,${first.reference},T-1`,
        `14/03/2026x,600.00,${first.reference},T-2`,
        `2026-03-14,seiscientos,${first.reference},T-3`,
        '2026-03-14,100.00,,T-4',
        `2026-03-14,600.00,${first.reference},T-1`,
      ]),
      fileName: 'bad.csv',
    });
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => `${e.line}:${e.column}`)).toEqual(['3:date', '4:amount', '5:reference', '6:bank_transaction_id']);
    expect(result.errors[3]!.reason).toBe('"T-1" is also on line 2');
    expect(await w.count('provider_payments')).toBe(0);
    expect(await w.count('payments')).toBe(0);
  });

  it('refuses a statement without the required columns', async () => {
    const result = await importBankStatement(w.ctx, { stream: csv(['fecha,monto', '2026-03-14,1.00']), fileName: 'x.csv' });
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => e.column)).toEqual(['reference', 'bank_transaction_id']);
  });

  it('applies matches, raises alerts for the rest, ignores withdrawals; the same file again changes nothing', async () => {
    const path = join(dir, 'estado.csv');
    await writeFile(
      path,
      [
        'fecha;importe;referencia;id_movimiento',
        `2026-03-14;600.00;${first.reference};MOV-1`, // exact: applied to A-1
        `2026-03-14;800.00;${second.clabe};MOV-2`, // by CLABE: applied
        `2026-03-14;49.00;${third.reference};MOV-3`, // short: amount mismatch
        '2026-03-14;75.00;99999999;MOV-4', // names no link
        `2026-03-14;-120.00;;MOV-5`, // a withdrawal
        `2026-03-15;600.00;${first.reference};MOV-6`, // the same link paid twice
      ].join('\n'),
    );
    const result = await importBankStatement(w.ctx, { path, fileName: 'estado.csv' });
    expect(result.status, JSON.stringify(result.errors)).toBe('completed');
    expect(result).toMatchObject({ rows: 6, applied: 2, refused: 3, duplicates: 0, ignored: 1 });
    expect(result.lines.map((l) => `${l.line}:${l.outcome}:${l.reason ?? ''}`)).toEqual([
      '2:applied:',
      '3:applied:',
      '4:refused:amount_mismatch',
      '5:refused:unknown_reference',
      '6:ignored:withdrawal',
      '7:refused:link_not_open',
    ]);
    expect(await w.balanceOf('A-1')).toBe(40_000n);
    expect(await w.balanceOf('B-1')).toBe(0n);
    const alerts = await listPaymentAlerts(w.ctx);
    expect(alerts.map((a) => a.kind).sort()).toEqual(['amount_mismatch', 'link_not_open', 'unknown_reference']);
    expect(alerts.find((a) => a.kind === 'unknown_reference')).toMatchObject({ reference: '99999999', amount: 7_500n, debtorId: null, paidOn: '2026-03-14' });

    const payments = await w.count('payments');
    const again = await importBankStatement(w.ctx, { path, fileName: 'estado.csv' });
    expect(again).toMatchObject({ status: 'completed', applied: 0, refused: 0, duplicates: 5, ignored: 1 });
    expect(await w.count('payments')).toBe(payments);
    expect(await w.count('payment_alerts')).toBe(3);
  });

  it('reads XLSX statements with date cells, and a dry run writes nothing', async () => {
    const link = await createPaymentLink(w.ctx, { debtorId: first.debtorId, target: { kind: 'debtor' }, currency: 'MXN', amount: 1_234n });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Movimientos');
    sheet.addRow(['Fecha', 'Abono', 'Referencia', 'Folio banco']);
    sheet.addRow([new Date(Date.UTC(2026, 2, 15)), 12.34, link.reference, 'X-1']);
    sheet.getCell('A2').numFmt = 'dd/mm/yyyy';
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const dry = await importBankStatement(w.ctx, { stream: Readable.from([buffer]), fileName: 'estado.xlsx', dryRun: true });
    expect(dry).toMatchObject({ status: 'validated', applied: 1 });
    expect((await w.api('GET', `/payment-links/${link.id}`)).json().status).toBe('open');
    const real = await importBankStatement(w.ctx, { stream: Readable.from([buffer]), fileName: 'estado.xlsx' });
    expect(real).toMatchObject({ status: 'completed', applied: 1 });
    expect((await w.api('GET', `/payment-links/${link.id}`)).json()).toMatchObject({ status: 'paid', payment_external_id: 'bank_reference:X-1' });
  });
  it('applies a deposit with a value date after today as of today, keeping the bank\'s date for treasury', async () => {
    // The clock is 12:00 on 15 March 2026 in Mexico City; the bank dates the deposit the 17th.
    const link = await createPaymentLink(w.ctx, { debtorId: first.debtorId, target: { kind: 'debtor' }, currency: 'MXN', amount: 2_500n });
    const result = await importBankStatement(w.ctx, { stream: csv(['Fecha,Importe,Referencia,Clave de rastreo', `2026-03-17,25.00,${link.reference},VAL-1`]), fileName: 'valor.csv' });
    expect(result).toMatchObject({ status: 'completed', applied: 1 });
    const payment = (await w.api('GET', '/payments/bank_reference:VAL-1')).json();
    expect(payment).toMatchObject({ paid_on: '2026-03-15', amount: '25.00' });
    const reported = await w.database.query<{ paid_on: string }>(sql`SELECT paid_on::text AS paid_on FROM provider_payments WHERE provider_payment_id = 'VAL-1'`);
    expect(reported.map((r) => r.paid_on)).toEqual(['2026-03-17']);
  });
});
