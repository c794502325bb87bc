/**
 * `cobranza report kpis --from D --to D [--format json|xlsx|csv] [--out FILE]`: the dashboard's KPIs for a period, each
 * with its variant and formula, per currency. Added beside `report aging` / `report accounts` on the `report` command.
 * `cobranza report refresh [--as-of D]` sums a day for the dashboards (the worker does it after each daily run).
 */
import type { Command } from 'commander';
import { exportReport, getDashboard, refreshBackOffice } from '../../modules/analytics/index.ts';
import { formatTable, type Column } from '../../modules/shared/tabular.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { oneOf, openOutput } from './shared.ts';

const FORMATS = ['table', 'json', 'xlsx', 'csv'] as const;

export function registerReportKpisCommand(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const report = program.commands.find((c) => c.name() === 'report') ?? program.command('report').description(l('Reports: aging, accounts, KPIs', 'Reportes: antigüedad, cuentas, indicadores'));
  report
    .command('kpis')
    .description(
      l(
        'Collection KPIs for a period (DSO, BPDSO, ADD, CEI, delinquency, roll and cure rates, contact and promise rates), per currency with their variants',
        'Indicadores de cobranza de un periodo (DSO, BPDSO, ADD, CEI, morosidad, tasas de rodamiento y de cura, de contacto y de promesas), por moneda con sus variantes',
      ),
    )
    .requiredOption('--from <date>', l('first day, YYYY-MM-DD', 'primer día, AAAA-MM-DD'))
    .requiredOption('--to <date>', l('last day, YYYY-MM-DD', 'último día, AAAA-MM-DD'))
    .option('--format <format>', FORMATS.join(' | '), oneOf('--format', FORMATS), 'table')
    .option('--portfolio <name>', l('only this portfolio', 'solo esta cartera'))
    .option('--out <file>', l('write to a file instead of standard output (required for xlsx)', 'escribir en un archivo en lugar de la salida estándar (obligatorio para xlsx)'))
    .action(async (opts: { from: string; to: string; format: (typeof FORMATS)[number]; portfolio?: string; out?: string }) => {
      const ctx = await session.ctx();
      const es = io.language === 'es';
      const params = { from: opts.from, to: opts.to, portfolio: opts.portfolio };
      if (opts.format === 'table') {
        const d = await getDashboard(ctx, params, io.language);
        const columns: Column[] = [
          { key: 'name', header: es ? 'indicador' : 'kpi' },
          { key: 'currency', header: es ? 'moneda' : 'currency' },
          { key: 'value', header: es ? 'valor' : 'value' },
          { key: 'variant', header: es ? 'variante' : 'variant' },
        ];
        io.stdout.write(es ? `Indicadores ${d.from} → ${d.to} (cartera al ${d.as_of ?? '—'})\n` : `KPIs ${d.from} → ${d.to} (portfolio as of ${d.as_of ?? '—'})\n`);
        io.stdout.write(formatTable(columns, d.kpis.map((k) => ({ name: k.name, currency: k.currency ?? '', value: k.value === null ? '—' : k.value, variant: k.variant })), { value: 'right' }));
        return;
      }
      if (opts.format === 'json') {
        // Refused dates fail here, before any output is opened.
        const d = await getDashboard(ctx, params, io.language);
        const out = openOutput(io, opts.out, false);
        out.stream.write(jsonText({ from: d.from, to: d.to, as_of: d.as_of, kpis: d.kpis }));
        await out.close();
      } else {
        await getDashboard(ctx, params, io.language);
        const out = openOutput(io, opts.out, opts.format === 'xlsx');
        try {
          await exportReport(ctx, { report: 'kpis', format: opts.format, params, out: out.stream, via: 'cli', language: io.language });
        } finally {
          await out.close();
        }
      }
      if (opts.out) io.stdout.write(es ? `Indicadores ${opts.from} → ${opts.to} escritos en ${opts.out}\n` : `KPIs ${opts.from} → ${opts.to} written to ${opts.out}\n`);
    });

  report
    .command('refresh')
    .description(l('Assign new accounts, score the worklists and sum a day of snapshots for the dashboards', 'Asignar las cuentas nuevas, puntuar las listas de trabajo y sumar un día de cortes para los tableros'))
    .option('--as-of <date>', l('the day (default: the latest run)', 'el día (predeterminado: la última corrida)'))
    .action(async (opts: { asOf?: string }) => {
      const r = await refreshBackOffice(await session.ctx(), { asOf: opts.asOf });
      io.stdout.write(
        l(
          `assigned ${r.assignment.assigned} accounts (${r.assignment.unassigned} left unassigned); scored ${r.scores.accounts} accounts (${r.scores.model}); ` +
            `aggregates for ${r.analytics.asOf || 'no run yet'}: ${r.analytics.portfolioRows} rows, ${r.analytics.flowDays} days of flows, ${r.analytics.transitionRows} transitions\n`,
          `${r.assignment.assigned} cuentas asignadas (${r.assignment.unassigned} sin asignar); ${r.scores.accounts} cuentas puntuadas (${r.scores.model}); ` +
            `sumas del ${r.analytics.asOf || 'ninguna corrida todavía'}: ${r.analytics.portfolioRows} filas, ${r.analytics.flowDays} días de flujos, ${r.analytics.transitionRows} transiciones\n`,
        ),
      );
    });
}
