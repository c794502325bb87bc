/**
 * `cobranza compliance report --from D --to D [--format csv|xlsx|json] [--out FILE]`: every decision of the contact
 * gate in the period (company time zone): each contact with the rule that allowed it, each refusal with its rule and
 * reason. Added beside `compliance check` (src/cli/commands/compliance.ts), on the same `compliance` command. Headers,
 * the sheet's name and the reasons are in the CLI's language; codes (channel, stage, rule, reason_code) stay codes.
 */
import type { Command } from 'commander';
import { complianceReport, complianceReportCells, complianceReportColumns, complianceReportSheet } from '../../modules/messaging/index.ts';
import { writeCsv, writeXlsx } from '../../modules/shared/tabular.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonLine } from '../json.ts';
import { oneOf, openOutput } from './shared.ts';

const FORMATS = ['csv', 'xlsx', 'json'] as const;

export function registerComplianceReportCommand(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const compliance = program.commands.find((c) => c.name() === 'compliance') ?? program.command('compliance').description(l('Contact compliance', 'Cumplimiento de contacto'));
  compliance
    .command('report')
    .description(l('Every contact with the rule that allowed it, and every refusal, between two dates (company time zone)', 'Cada contacto con la regla que lo permitió, y cada rechazo, entre dos fechas (zona horaria de la empresa)'))
    .requiredOption('--from <date>', l('first day, YYYY-MM-DD', 'primer día, AAAA-MM-DD'))
    .requiredOption('--to <date>', l('last day, YYYY-MM-DD', 'último día, AAAA-MM-DD'))
    .option('--format <format>', FORMATS.join(' | '), oneOf('--format', FORMATS), 'csv')
    .option('--out <file>', l('write to a file instead of standard output (required for xlsx)', 'escribir en un archivo en lugar de la salida estándar (obligatorio para xlsx)'))
    .action(async (opts: { from: string; to: string; format: (typeof FORMATS)[number]; out?: string }) => {
      const rows = complianceReport(await session.ctx(), { from: opts.from, to: opts.to, language: io.language });
      // The first page is read before the file is opened, so bad dates leave no empty file behind.
      const first = await rows.next();
      const all = (async function* () {
        if (first.done) return;
        yield first.value;
        yield* rows;
      })();
      const out = openOutput(io, opts.out, opts.format === 'xlsx');
      try {
        if (opts.format === 'json') {
          out.stream.write('[');
          let n = 0;
          for await (const r of all) out.stream.write(`${n++ ? ',' : ''}\n  ${jsonLine(r)}`);
          out.stream.write(n ? '\n]\n' : ']\n');
        } else {
          const cells = (async function* () {
            for await (const r of all) yield complianceReportCells(r);
          })();
          const columns = complianceReportColumns(io.language);
          if (opts.format === 'csv') await writeCsv(out.stream, columns, cells);
          else await writeXlsx(out.stream, complianceReportSheet(io.language), columns, cells);
        }
      } finally {
        await out.close();
      }
      if (opts.out) io.stdout.write(l(`compliance report ${opts.from} → ${opts.to} written to ${opts.out}\n`, `reporte de cumplimiento ${opts.from} → ${opts.to} escrito en ${opts.out}\n`));
    });
}
