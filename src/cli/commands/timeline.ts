/**
 * `cobranza timeline DEBTOR [--json] [--limit N]`: everything that happened with a debtor, oldest first — messages and
 * their delivery statuses, replies, refusals by the compliance gate, tasks, phase changes, payments and holds.
 */
import type { Command } from 'commander';
import { debtorTimeline, loadAutomationSettings } from '../../modules/messaging/index.ts';
import { formatTable } from '../../modules/shared/tabular.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { parseIntOption } from './shared.ts';

/** "2026-03-05 12:00" in the company's time zone. */
function localTime(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export function registerTimelineCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  program
    .command('timeline')
    .description(
      l(
        "A debtor's timeline: messages, delivery statuses, replies, compliance refusals, tasks, phase changes, payments and holds, in order",
        'La línea de tiempo de un deudor: mensajes, estados de entrega, respuestas, rechazos de cumplimiento, tareas, cambios de fase, pagos y suspensiones, en orden',
      ),
    )
    .argument('<debtor>', l("the debtor's external id", 'el id externo del deudor'))
    .option('--limit <n>', l('at most this many entries (default 1000)', 'como máximo estas entradas (predeterminado 1000)'), parseIntOption('--limit'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (debtor: string, opts: { limit?: number; json?: boolean }) => {
      const ctx = await session.ctx();
      const language = io.language;
      const es = language === 'es';
      const entries = await debtorTimeline(ctx, { debtorExternalId: debtor, limit: opts.limit, language });
      if (opts.json) {
        io.stdout.write(jsonText(entries));
        return;
      }
      if (entries.length === 0) {
        io.stdout.write(`${debtor}: ${es ? 'sin movimientos todavía' : 'nothing yet'}\n`);
        return;
      }
      const { timeZone } = await loadAutomationSettings(ctx);
      io.stdout.write(
        `${debtor} (${timeZone})\n` +
          formatTable(
            [
              { key: 'at', header: es ? 'fecha' : 'at' },
              { key: 'kind', header: es ? 'tipo' : 'kind' },
              { key: 'channel', header: es ? 'canal' : 'channel' },
              { key: 'summary', header: es ? 'detalle' : 'summary' },
            ],
            entries.map((e) => ({ at: localTime(e.at, timeZone), kind: e.kind, channel: e.channel, summary: e.summary })),
          ),
      );
    });
}
