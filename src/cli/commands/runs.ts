import type { Command } from 'commander';
import { accountsReport, agingReport, runPortfolio, type AccountReportRow } from '../../modules/collection-runs/index.ts';
import { accountCells, accountColumns, accountsSheet, bookCurrencies } from '../../modules/collection-runs/account-table.ts';
import { formatTable, writeCsv, writeXlsx, type Cell, type Column } from '../../modules/shared/tabular.ts';
import { bucketName, phaseName } from '../../domain/aging.ts';
import { recordAudit } from '../../modules/access/audit.ts';
import { words, type CliIO } from '../io.ts';
import { jsonLine, jsonText } from '../json.ts';
import type { Session } from '../session.ts';
import { oneOf, openOutput } from './shared.ts';

export function registerRunCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const day = l('YYYY-MM-DD', 'AAAA-MM-DD');
  program
    .command('run')
    .description(l('The daily run: days past due, aging bucket, phase and segments of every account as of a date', 'La corrida diaria: días de atraso, tramo de antigüedad, fase y segmentos de cada cuenta a una fecha'))
    .requiredOption('--as-of <date>', day)
    .option('--portfolio <name>', l('only this portfolio', 'solo esta cartera'))
    .option('--force', l('allow a date earlier than the last run (a date after today is refused even so)', 'permitir una fecha anterior a la última corrida (una fecha posterior a hoy se rechaza de todos modos)'))
    .action(async (opts: { asOf: string; portfolio?: string; force?: boolean }) => {
      const ctx = await session.ctx();
      const r = await runPortfolio(ctx, { asOf: opts.asOf, portfolio: opts.portfolio, force: !!opts.force });
      const language = io.language;
      const phases = Object.entries(r.byPhase).map(([p, n]) => `${phaseName(p, language)} ${n}`).join(', ');
      const seconds = `${(r.durationMs / 1000).toFixed(2)} s`;
      io.stdout.write(
        language === 'es'
          ? `corrida ${r.id} al ${r.asOf}: ${r.accounts} cuenta${r.accounts === 1 ? '' : 's'} (${phases || 'ninguna'}), ${r.phaseChanges} cambio${r.phaseChanges === 1 ? '' : 's'} de fase, ${seconds}\n`
          : `run ${r.id} as of ${r.asOf}: ${r.accounts} account${r.accounts === 1 ? '' : 's'} (${phases || 'none'}), ${r.phaseChanges} phase change${r.phaseChanges === 1 ? '' : 's'}, ${seconds}\n`,
      );
    });

  const report = program.command('report').description(l('Reports: aging, accounts, KPIs', 'Reportes: antigüedad, cuentas, indicadores'));
  report
    .command('aging')
    .description(l('Open balances per portfolio and currency by aging bucket', 'Saldos abiertos por cartera y moneda, por tramo de antigüedad'))
    .requiredOption('--as-of <date>', day)
    .option('--portfolio <name>', l('only this portfolio', 'solo esta cartera'))
    .option('--format <format>', 'table | json | csv | xlsx', oneOf('--format', ['table', 'json', 'csv', 'xlsx'] as const), 'table')
    .option('--out <file>', l('write to a file instead of standard output', 'escribir en un archivo en lugar de la salida estándar'))
    .action(async (opts: { asOf: string; portfolio?: string; format: 'table' | 'json' | 'csv' | 'xlsx'; out?: string }) => {
      const ctx = await session.ctx();
      const aging = await agingReport(ctx, { asOf: opts.asOf, portfolio: opts.portfolio });
      const es = io.language === 'es';
      const columns: Column[] = [
        { key: 'portfolio', header: es ? 'cartera' : 'portfolio' },
        { key: 'currency', header: es ? 'moneda' : 'currency' },
        { key: 'bucket', header: es ? 'tramo' : 'bucket' },
        { key: 'amount', header: es ? 'monto' : 'amount', money: { currencyKey: 'currency' } },
        { key: 'count', header: es ? 'documentos' : 'count' },
      ];
      const flat: Array<Record<string, Cell>> = aging.lines.flatMap((l) => [
        ...l.buckets.map((b) => ({ portfolio: l.portfolio, currency: l.currency, bucket: bucketName(b.bucket, io.language), amount: b.amount, count: b.count })),
        { portfolio: l.portfolio, currency: l.currency, bucket: 'total', amount: l.total.amount, count: l.total.count },
      ]);
      const out = openOutput(io, opts.out, opts.format === 'xlsx');
      // The API's body (GET /reports/aging), key for key.
      if (opts.format === 'json') out.stream.write(jsonText({ as_of: aging.asOf, lines: aging.lines }));
      else if (opts.format === 'csv') await writeCsv(out.stream, columns, flat);
      else if (opts.format === 'xlsx') await writeXlsx(out.stream, l('Aging', 'Antigüedad'), columns, flat);
      else out.stream.write(`${es ? 'Antigüedad de saldos al' : 'Aging as of'} ${aging.asOf}\n` + (flat.length ? formatTable(columns, flat, { amount: 'right', count: 'right' }) : es ? '(no hay saldos)\n' : '(nothing owed)\n'));
      await out.close();
      if (opts.format !== 'table') await recordAudit(ctx, { action: 'report.export', entity: 'report', entityId: 'aging', after: { format: opts.format, as_of: opts.asOf, portfolio: opts.portfolio ?? null, file: opts.out ?? null } });
    });

  report
    .command('accounts')
    .description(l('One row per account as the run of that date left it', 'Una fila por cuenta, como la dejó la corrida de esa fecha'))
    .requiredOption('--as-of <date>', day)
    .option('--portfolio <name>', l('only this portfolio', 'solo esta cartera'))
    .requiredOption('--format <format>', 'json | csv | xlsx', oneOf('--format', ['json', 'csv', 'xlsx'] as const))
    .option('--out <file>', l('write to a file instead of standard output', 'escribir en un archivo en lugar de la salida estándar'))
    .action(async (opts: { asOf: string; portfolio?: string; format: 'json' | 'csv' | 'xlsx'; out?: string }) => {
      const ctx = await session.ctx();
      const rows = accountsReport(ctx, { asOf: opts.asOf, portfolio: opts.portfolio });
      // Pull the first row before opening the output so a refused date leaves no empty file behind.
      const first = await rows.next();
      const out = openOutput(io, opts.out, opts.format === 'xlsx');
      async function* all(): AsyncGenerator<AccountReportRow> {
        if (!first.done) yield first.value;
        yield* rows;
      }
      if (opts.format === 'json') {
        out.stream.write('[');
        let n = 0;
        for await (const r of all()) out.stream.write(`${n++ ? ',' : ''}\n  ${jsonLine(r)}`);
        out.stream.write(n ? '\n]\n' : ']\n');
      } else {
        // The layout of GET /accounts/export: one column per currency for each amount, headers in the CLI's language.
        const language = io.language;
        const currencies = await bookCurrencies(ctx, { portfolio: opts.portfolio });
        const columns = accountColumns(['debtor_external_id', 'name', 'portfolio', 'phase', 'days_past_due', 'bucket', 'balance', 'segments', 'unapplied', 'on_hold'], currencies, language);
        async function* flat(): AsyncGenerator<Record<string, Cell>> {
          for await (const { balances, unapplied, ...r } of all()) yield accountCells(r, { balance: balances, unapplied }, currencies, language);
        }
        if (opts.format === 'csv') await writeCsv(out.stream, columns, flat());
        else await writeXlsx(out.stream, accountsSheet(language), columns, flat());
      }
      await out.close();
      await recordAudit(ctx, { action: 'report.export', entity: 'report', entityId: 'accounts', after: { format: opts.format, as_of: opts.asOf, portfolio: opts.portfolio ?? null, file: opts.out ?? null } });
    });
}
