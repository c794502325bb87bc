/**
 * Reconciles a bank statement (CSV or XLSX: date, amount, reference, bank transaction id, optional currency) against
 * the company's bank-transfer links.
 *
 * Two stages. First every row is validated; any bad row rejects the whole file, reported as `line N: column: reason`,
 * and nothing is written. Then, in one transaction, each deposit is matched by reference (a link's reference or its
 * CLABE) and amount and applied like any provider payment: a line whose bank transaction id was imported before is a
 * duplicate and changes nothing (so importing the same statement twice is harmless); a reference that names no link,
 * or an amount or currency that differs from the link's, is refused and raised as a payment alert. Withdrawals
 * (amounts ≤ 0) are listed as ignored.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { CalendarError, parseDate, type DateFormat } from '../../domain/calendar.ts';
import { MoneyError, parseCurrency, parseDecimal } from '../../domain/money.ts';
import { FileProblem, normalizeHeader, readCsv, readXlsx, type SourceItem } from '../portfolio/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { applyProviderPayments, type AlertKind, type ProviderPaymentInput } from './apply-provider-payment.ts';
import { english, t, textOf, type Message } from '../../domain/text.ts';

export interface ImportBankStatementOptions {
  path?: string | undefined;
  /** Instead of a path; the caller keeps ownership. */
  stream?: Readable | undefined;
  /** Used to pick the format and in messages; defaults to `path`. */
  fileName?: string | undefined;
  format?: 'csv' | 'xlsx' | undefined;
  delimiter?: ',' | ';' | undefined;
  encoding?: 'utf8' | 'latin1' | undefined;
  dateFormat?: DateFormat | undefined;
  sheet?: string | undefined;
  /** Currency of rows without a currency column; default the company's. */
  currency?: string | undefined;
  /** Validate and match, write nothing. */
  dryRun?: boolean | undefined;
}

/** One problem of one row. */
export interface StatementError {
  line: number;
  column: string;
  reason: string;
}

/** One problem of one row, its reason in both languages. */
export interface StatementErrorText {
  line: number;
  column: string;
  reason: Message;
}

/** What became of one statement line. */
export interface StatementLine {
  line: number;
  bankTransactionId: string;
  outcome: 'applied' | 'refused' | 'duplicate' | 'ignored';
  reason: AlertKind | 'withdrawal' | null;
  linkPublicId: string | null;
  paymentExternalId: string | null;
}

export interface BankStatementResult {
  /** `validated`: a clean dry run (nothing written). */
  status: 'completed' | 'validated' | 'rejected';
  rows: number;
  applied: number;
  refused: number;
  duplicates: number;
  ignored: number;
  /** The first problems found, by line (at most {@link MAX_ERRORS}), in English. */
  errors: StatementError[];
  /** The same problems with their reasons in both languages. */
  errorTexts: StatementErrorText[];
  /** Every problem found (may exceed `errors.length`). */
  errorCount: number;
  lines: StatementLine[];
}

const COLUMNS = {
  date: ['date', 'fecha', 'fecha_operacion', 'fecha_movimiento', 'fecha_valor', 'fecha_pago'],
  amount: ['amount', 'monto', 'importe', 'abono', 'deposito', 'monto_abono'],
  reference: ['reference', 'referencia', 'referencia_numerica', 'referencia_pago', 'clabe', 'cuenta_clabe'],
  bank_transaction_id: ['bank_transaction_id', 'transaction_id', 'id_transaccion', 'id_movimiento', 'numero_movimiento', 'clave_rastreo', 'folio_banco', 'folio'],
  currency: ['currency', 'moneda', 'divisa'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ['date', 'amount', 'reference', 'bank_transaction_id'];

/** Most errors reported for one file. */
const MAX_ERRORS = 1000;

/** Imports one statement; bad data never throws, it comes back as `errors` with status `rejected`. */
export async function importBankStatement(ctx: Ctx, options: ImportBankStatementOptions): Promise<BankStatementResult> {
  if (!options.path && !options.stream) throw new AppError('validation_failed', t('importBankStatement needs a path or a stream', 'importBankStatement necesita una ruta o un flujo de datos'));
  const name = options.fileName ?? options.path ?? '';
  const ext = extname(name).toLowerCase();
  if (ext === '.xls') throw new AppError('validation_failed', t('old .xls workbooks are not supported; save the statement as .xlsx or CSV', 'los libros .xls antiguos no se admiten; guarde el estado de cuenta como .xlsx o CSV'));
  const format = options.format ?? (ext === '.xlsx' ? 'xlsx' : 'csv');
  if (options.path && !options.stream) {
    try {
      if (!(await stat(options.path)).isFile()) throw new Error('not a regular file');
    } catch (error) {
      throw new AppError('validation_failed', t(`cannot read ${name}: ${(error as Error).message}`, `no se puede leer ${name}: ${(error as Error).message}`));
    }
  }
  const found = (await ctx.database.db.execute(sql`SELECT default_currency::text AS currency FROM companies WHERE id = ${ctx.companyId}`)) as unknown as { rows: Array<{ currency: string }> };
  const companyCurrency = found.rows[0]?.currency.trim() ?? 'MXN';
  let defaultCurrency = companyCurrency;
  if (options.currency) {
    try {
      defaultCurrency = parseCurrency(options.currency);
    } catch (error) {
      throw new AppError('validation_failed', (error as MoneyError).message, [{ path: 'currency', reason: (error as MoneyError).message }]);
    }
  }

  const owned = options.stream ? null : createReadStream(options.path!);
  const input = options.stream ?? owned!;
  const errors: StatementErrorText[] = [];
  let errorCount = 0;
  const fail = (line: number, column: string, reason: Message) => {
    errorCount++;
    if (errors.length < MAX_ERRORS) errors.push({ line, column, reason });
  };
  const deposits: Array<ProviderPaymentInput & { line: number }> = [];
  const ignored: StatementLine[] = [];
  let rowCount = 0;
  try {
    const source: AsyncIterable<SourceItem> = format === 'xlsx' ? readXlsx(input, { sheet: options.sheet }) : readCsv(input, { delimiter: options.delimiter, encoding: options.encoding });
    const seen = new Map<string, number>();
    let columns: Map<Column, number> | null = null;
    let width = 0;
    try {
      for await (const item of source) {
        if (item.error !== undefined) {
          if (columns === null) {
            fail(item.line, 'header', item.error);
            break;
          }
          rowCount++;
          fail(item.line, 'row', item.error);
          continue;
        }
        if (columns === null) {
          const found = resolveColumns(item.fields);
          for (const missing of REQUIRED.filter((c) => !found.has(c))) fail(item.line, missing, t(`the statement has no ${missing} column (accepted headers: ${COLUMNS[missing].join(', ')})`, `el estado de cuenta no tiene la columna ${missing} (encabezados aceptados: ${COLUMNS[missing].join(', ')})`));
          if (errorCount > 0) break;
          columns = found;
          width = item.fields.length;
          continue;
        }
        rowCount++;
        if (item.fields.length !== width) {
          fail(item.line, 'row', t(`has ${item.fields.length} fields, the header has ${width}`, `tiene ${item.fields.length} campos; el encabezado tiene ${width}`));
          continue;
        }
        const cell = (c: Column) => (columns!.has(c) ? (item.fields[columns!.get(c)!] ?? '').trim() : '');
        const before = errorCount;
        const id = cell('bank_transaction_id');
        if (id === '') fail(item.line, 'bank_transaction_id', t('is required', 'es obligatorio'));
        else if (id.length > 100) fail(item.line, 'bank_transaction_id', t('is longer than 100 characters', 'tiene más de 100 caracteres'));
        else if (seen.has(id)) fail(item.line, 'bank_transaction_id', t(`"${id}" is also on line ${seen.get(id)}`, `"${id}" también está en la línea ${seen.get(id)}`));
        else seen.set(id, item.line);
        let currency = defaultCurrency;
        if (cell('currency') !== '') {
          try {
            currency = parseCurrency(cell('currency'));
          } catch (error) {
            fail(item.line, 'currency', textOf(error as MoneyError));
          }
        }
        let amount: bigint | null = null;
        try {
          amount = parseDecimal(cell('amount').replace(/^\$\s*/, ''), currency, { allowNegative: true });
        } catch (error) {
          fail(item.line, 'amount', error instanceof MoneyError ? error.text : t('is not an amount', 'no es un monto'));
        }
        let date: string | null = null;
        try {
          date = parseDate(cell('date'), /^\d{4}-/.test(cell('date')) ? 'YYYY-MM-DD' : (options.dateFormat ?? 'YYYY-MM-DD'));
        } catch (error) {
          fail(item.line, 'date', error instanceof CalendarError ? error.text : t('is not a date', 'no es una fecha'));
        }
        const reference = cell('reference').replace(/\s+/g, '');
        if (amount !== null && amount > 0n && reference === '') fail(item.line, 'reference', t('is required for a deposit', 'es obligatoria para un depósito'));
        if (reference.length > 100) fail(item.line, 'reference', t('is longer than 100 characters', 'tiene más de 100 caracteres'));
        if (errorCount > before) continue;
        if (amount! <= 0n) {
          ignored.push({ line: item.line, bankTransactionId: id, outcome: 'ignored', reason: 'withdrawal', linkPublicId: null, paymentExternalId: null });
          continue;
        }
        deposits.push({ line: item.line, provider: 'bank_reference', providerPaymentId: id, reference, amount: amount!, currency, paidAt: ctx.clock.now(), paidOn: date!, raw: { line: item.line, file: name } });
      }
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error;
      fail(error.line, 'file', error.text);
    }
    if (columns === null && errorCount === 0) fail(1, 'file', t('the file is empty (no header row)', 'el archivo está vacío (no tiene fila de encabezados)'));
    else if (columns !== null && rowCount === 0 && errorCount === 0) fail(1, 'file', t('the statement has a header but no rows', 'el estado de cuenta tiene encabezados pero ninguna fila'));
  } finally {
    owned?.destroy();
  }

  const result: BankStatementResult = { status: 'rejected', rows: rowCount, applied: 0, refused: 0, duplicates: 0, ignored: ignored.length, errors: errors.map((e) => ({ ...e, reason: english(e.reason) })), errorTexts: errors, errorCount, lines: [] };
  if (errorCount > 0) return result;

  const dryRun = Boolean(options.dryRun);
  const lines: StatementLine[] = [...ignored];
  class DryRun extends Error {}
  try {
    await ctx.database.db.transaction(async (tx) => {
      const outcomes = await applyProviderPayments(ctx, deposits, tx as unknown as Db);
      outcomes.forEach((o, i) => {
        const d = deposits[i]!;
        lines.push({ line: d.line, bankTransactionId: d.providerPaymentId, outcome: o.outcome, reason: o.reason, linkPublicId: o.linkPublicId, paymentExternalId: o.paymentExternalId });
      });
      if (dryRun) throw new DryRun();
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  lines.sort((a, b) => a.line - b.line);
  return {
    status: dryRun ? 'validated' : 'completed',
    rows: rowCount,
    applied: lines.filter((l) => l.outcome === 'applied').length,
    refused: lines.filter((l) => l.outcome === 'refused').length,
    duplicates: lines.filter((l) => l.outcome === 'duplicate').length,
    ignored: ignored.length,
    errors: [],
    errorTexts: [],
    errorCount: 0,
    lines,
  };
}

function resolveColumns(headers: readonly string[]): Map<Column, number> {
  const found = new Map<Column, number>();
  headers.forEach((header, i) => {
    const key = normalizeHeader(header);
    for (const [column, aliases] of Object.entries(COLUMNS) as Array<[Column, readonly string[]]>) {
      if (!found.has(column) && aliases.includes(key)) found.set(column, i);
    }
  });
  return found;
}
