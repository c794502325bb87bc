import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { importFile, loadDemo } from '../../modules/portfolio/index.ts';
import { runPortfolio } from '../../modules/collection-runs/index.ts';
import { dateInZone } from '../../domain/calendar.ts';
import { AppError } from '../../modules/shared/errors.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { setExit } from '../exit.ts';
import { oneOf, parseIntOption, userPath } from './shared.ts';
import { runBankStatementImport } from './bank-statement.ts';
import { checkReportWritable, printRejection, problemsIn, reportingFailures, writeReport } from './import-report.ts';
import { t } from '../../domain/text.ts';

const ENTITIES = ['debtors', 'obligations', 'payments', 'bank-statement'] as const;
/** "1 debtor row", "2 obligation rows". */
const ROW_NOUN = { debtors: 'debtor', obligations: 'obligation', payments: 'payment' } as const;
/** "1 fila de deudor", "2 filas de obligaciones". */
const ROW_NOUN_ES = { debtors: ['deudor', 'deudores'], obligations: ['obligación', 'obligaciones'], payments: ['pago', 'pagos'] } as const;

/** The options as typed; their values are checked in the action, so that a refused one still gets its --report. */
interface RawImportOptions {
  format?: string;
  delimiter?: string;
  encoding?: string;
  dateFormat?: string;
  portfolio?: string;
  mapping?: string;
  sheet?: string;
  dryRun?: boolean;
  report?: string;
  currency?: string;
}

function checkImportOptions(raw: RawImportOptions) {
  const optional = <T extends string>(name: string, allowed: readonly T[], value: string | undefined) => (value === undefined ? undefined : oneOf(name, allowed)(value));
  return {
    ...raw,
    format: optional('--format', ['csv', 'xlsx'] as const, raw.format),
    delimiter: optional('--delimiter', [',', ';'] as const, raw.delimiter),
    encoding: optional('--encoding', ['utf8', 'latin1'] as const, raw.encoding),
    dateFormat: optional('--date-format', ['YYYY-MM-DD', 'DD/MM/YYYY'] as const, raw.dateFormat),
  };
}

async function readMapping(io: CliIO, file: string): Promise<Record<string, string>> {
  let parsed: unknown;
  try {
    // Windows editors often save JSON with a byte order mark, which JSON.parse refuses; an invalid byte would only
    // resurface later as a header "C�digo" the file does not have.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(await readFile(userPath(io, file)));
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof TypeError ? 'is not UTF-8 text; save it as UTF-8' : (error as Error).message;
    const reasonEs = error instanceof TypeError ? 'no es texto UTF-8; guárdelo como UTF-8' : (error as Error).message;
    throw new AppError('validation_failed', t(`mapping file ${file}: ${reason}`, `archivo de mapeo ${file}: ${reasonEs}`));
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new AppError('validation_failed', t(`mapping file ${file} must be a JSON object of "our column": "their header"`, `el archivo de mapeo ${file} debe ser un objeto JSON de "nuestra columna": "su encabezado"`));
  }
  return parsed as Record<string, string>;
}

export function registerPortfolioCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  program
    .command('import')
    .description(
      l(
        'Import debtors, obligations or payments from CSV or XLSX (all or nothing; upsert by external id), or reconcile a bank statement',
        'Importar deudores, obligaciones o pagos desde CSV o XLSX (todo o nada; alta o actualización por id externo), o conciliar un estado de cuenta bancario',
      ),
    )
    .argument('<entity>', 'debtors | obligations | payments | bank-statement')
    .argument('<file>', l('CSV or XLSX file', 'archivo CSV o XLSX'))
    .option('--format <format>', l('csv | xlsx (default: from the file name)', 'csv | xlsx (predeterminado: según el nombre del archivo)'))
    .option('--delimiter <char>', l(', or ; (default: detected)', ', o ; (predeterminado: se detecta)'))
    .option('--encoding <encoding>', 'utf8 | latin1')
    .option('--date-format <format>', 'YYYY-MM-DD | DD/MM/YYYY')
    .option('--portfolio <name>', l('portfolio for obligations without a portfolio column', 'cartera de las obligaciones sin columna de cartera'))
    .option('--mapping <file>', l('JSON file { "our column": "their header" }', 'archivo JSON { "nuestra columna": "su encabezado" }'))
    .option('--sheet <name>', l('XLSX sheet (default: the first visible one)', 'hoja del XLSX (predeterminado: la primera visible)'))
    .option('--dry-run', l('validate only; write nothing', 'solo validar; no escribir nada'))
    .option('--report <file>', l('also write the outcome as JSON: counts, every error, or why the import failed', 'escribir también el resultado en JSON: conteos, cada error, o por qué falló la importación'))
    .option('--currency <code>', l("bank-statement: currency of lines without a currency column (default: the company's)", 'bank-statement: moneda de las líneas sin columna de moneda (predeterminado: la de la empresa)'))
    .action(async (entityName: string, file: string, raw: RawImportOptions, command: Command) =>
      reportingFailures(io, raw.report, { file, entity: entityName, dryRun: !!raw.dryRun }, async () => {
        const entity = oneOf('entity', ENTITIES)(entityName);
        const opts = checkImportOptions(raw);
        if (raw.report) checkReportWritable(io, raw.report);
        if (entity === 'bank-statement') return runBankStatementImport(io, session, file, opts, command);
        const path = userPath(io, file);
        // Without --format the import picks it from the file name (and refuses an old .xls instead of reading it as CSV).
        const format = opts.format;
        const mapping = opts.mapping ? await readMapping(io, opts.mapping) : undefined;
        const ctx = await session.ctx();
        const language = io.language;
        let bar: cliProgress.SingleBar | null = null;
        const result = await importFile(ctx, {
          entity,
          path,
          fileName: file,
          format,
          delimiter: opts.delimiter,
          encoding: opts.encoding,
          dateFormat: opts.dateFormat,
          dateFormatHint: t('for day/month/year dates use --date-format DD/MM/YYYY', 'para fechas día/mes/año use --date-format DD/MM/YYYY'),
          portfolio: opts.portfolio,
          mapping,
          sheet: opts.sheet,
          dryRun: !!opts.dryRun,
          onProgress: io.isTTY
            ? (rows: number) => {
                if (!bar && rows > 10_000) {
                  bar = new cliProgress.SingleBar({ format: `${entity} {value} filas | {duration_formatted}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
                  bar.start(0, rows);
                }
                bar?.update(rows);
              }
            : undefined,
        }).finally(() => (bar as cliProgress.SingleBar | null)?.stop());
        if (result.errors.length > 0) {
          printRejection(io, file, result.errorTexts, result.errorCount);
          setExit(command, 1);
        } else {
          if (language === 'es') {
            const rows = `${result.rows} ${result.rows === 1 ? `fila de ${ROW_NOUN_ES[entity][0]}` : `filas de ${ROW_NOUN_ES[entity][1]}`}`;
            const done = result.dryRun
              ? `se insertarían ${result.inserted}, se actualizarían ${result.updated}, ${result.unchanged} sin cambios (prueba: no se escribió nada)`
              : `${result.inserted} ${result.inserted === 1 ? 'insertada' : 'insertadas'}, ${result.updated} ${result.updated === 1 ? 'actualizada' : 'actualizadas'}, ${result.unchanged} sin cambios`;
            io.stdout.write(`${file}: ${rows} correctas — ${done}\n`);
          } else {
            const verb = result.dryRun ? 'would be' : result.inserted === 1 ? 'was' : 'were';
            const rows = `${result.rows} ${ROW_NOUN[entity]} row${result.rows === 1 ? '' : 's'}`;
            io.stdout.write(`${file}: ${rows} OK — ${result.inserted} ${verb} inserted, ${result.updated} updated, ${result.unchanged} unchanged${result.dryRun ? ' (dry run: nothing written)' : ''}\n`);
          }
        }
        // After the outcome is printed, so a report that cannot be written does not hide what the import did.
        if (opts.report) {
          const { errorTexts, ...counts } = result;
          await writeReport(io, opts.report, { file, ...counts, errors: problemsIn(errorTexts, language) });
        }
      }),
    );

  program
    .command('demo')
    .description(l('Load a deterministic demo portfolio (external ids start with DEMO-) and run it as of today', 'Cargar una cartera de demostración reproducible (ids externos que empiezan con DEMO-) y correrla al día de hoy'))
    .option('--debtors <n>', l('number of debtors', 'número de deudores'), parseIntOption('--debtors'), 2000)
    .option('--seed <n>', l('random seed', 'semilla aleatoria'), parseIntOption('--seed'), 1)
    .option('--country <code>', 'MX | CO | PE | CL | AR', oneOf('--country', ['MX', 'CO', 'PE', 'CL', 'AR'] as const), 'MX')
    .action(async (opts: { debtors: number; seed: number; country: 'MX' | 'CO' | 'PE' | 'CL' | 'AR' }) => {
      if (opts.debtors < 1 || opts.debtors > 1_000_000) throw new AppError('validation_failed', t('--debtors must be between 1 and 1,000,000', '--debtors debe estar entre 1 y 1,000,000'));
      const ctx = await session.ctx();
      const { company } = await session.company();
      const today = dateInZone(ctx.clock.now(), company.timeZone);
      const counts = await loadDemo(ctx, { debtors: opts.debtors, seed: opts.seed, country: opts.country, today });
      const run = await runPortfolio(ctx, { asOf: today, force: true });
      io.stdout.write(l(`demo loaded: ${JSON.stringify(counts)}; run as of ${today}: ${run.accounts} accounts ${JSON.stringify(run.byPhase)}\n`, `demostración cargada: ${JSON.stringify(counts)}; corrida al ${today}: ${run.accounts} cuentas ${JSON.stringify(run.byPhase)}\n`));
    });
}
