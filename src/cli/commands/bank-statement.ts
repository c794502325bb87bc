/** `cobranza import bank-statement FILE`: reconciles a bank statement against the company's bank-transfer links. */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { importBankStatement } from '../../modules/payments/index.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { setExit } from '../exit.ts';
import { userPath } from './shared.ts';
import { printRejection, problemsIn, writeReport } from './import-report.ts';

/** The options `import` accepts that a statement uses. */
export interface BankStatementCliOptions {
  format?: 'csv' | 'xlsx';
  delimiter?: ',' | ';';
  encoding?: 'utf8' | 'latin1';
  dateFormat?: 'YYYY-MM-DD' | 'DD/MM/YYYY';
  sheet?: string;
  dryRun?: boolean;
  report?: string;
  currency?: string;
}

/**
 * Runs the import: bad rows reject the file (`line N: column: reason`, exit 1); otherwise prints one line per deposit
 * that was not applied (unmatched, mismatched, duplicate) and the totals. Lines refused are raised as payment alerts.
 * With --report, the outcome is also written there as JSON (a failure before any line is read: see import-report.ts).
 */
export async function runBankStatementImport(io: CliIO, session: Session, file: string, opts: BankStatementCliOptions, command: Command): Promise<void> {
  const path = userPath(io, file);
  const ctx = await session.ctx();
  const result = await importBankStatement(ctx, {
    path,
    fileName: file,
    format: opts.format ?? (extname(path).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv'),
    delimiter: opts.delimiter,
    encoding: opts.encoding,
    dateFormat: opts.dateFormat,
    sheet: opts.sheet,
    currency: opts.currency,
    dryRun: !!opts.dryRun,
  });
  // After the outcome is printed, so a report that cannot be written does not hide what the import did.
  const report = async () => {
    const { errorTexts, ...rest } = result;
    if (opts.report) await writeReport(io, opts.report, { file, ...rest, errors: problemsIn(errorTexts, io.language) });
  };
  if (result.status === 'rejected') {
    printRejection(io, file, result.errorTexts, result.errorCount);
    setExit(command, 1);
    return report();
  }
  const w = words(io);
  for (const l of result.lines) {
    const link = l.linkPublicId ? w(` link ${l.linkPublicId}`, ` enlace ${l.linkPublicId}`) : '';
    if (l.outcome === 'refused') io.stdout.write(w(`line ${l.line}: ${l.bankTransactionId}: not applied (${l.reason})${link}; raised as a payment alert\n`, `línea ${l.line}: ${l.bankTransactionId}: no aplicado (${l.reason})${link}; se levantó una alerta de pago\n`));
    else if (l.outcome === 'duplicate') io.stdout.write(w(`line ${l.line}: ${l.bankTransactionId}: already imported; skipped\n`, `línea ${l.line}: ${l.bankTransactionId}: ya importado; se omite\n`));
  }
  const dryRun = result.status === 'validated';
  io.stdout.write(
    w(
      `${file}: ${result.rows} lines — ${result.applied} applied, ${result.refused} not applied (alerts), ${result.duplicates} already imported, ${result.ignored} withdrawals ignored${dryRun ? ' (dry run: nothing written)' : ''}\n`,
      `${file}: ${result.rows} líneas — ${result.applied} aplicadas, ${result.refused} no aplicadas (alertas), ${result.duplicates} ya importadas, ${result.ignored} retiros ignorados${dryRun ? ' (prueba: no se escribió nada)' : ''}\n`,
    ),
  );
  await report();
}
