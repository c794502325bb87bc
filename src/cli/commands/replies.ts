/**
 * `cobranza replies list|handle ID`: replies from debtors. An unhandled reply pauses the debtor's strategy; handling
 * it (and the debtor's earlier waiting replies) resumes the strategy at the next planning.
 */
import type { Command } from 'commander';
import { handleReply, listReplies, REPLY_STATUSES, type ReplyStatus } from '../../modules/messaging/index.ts';
import { AppError } from '../../modules/shared/errors.ts';
import { formatTable } from '../../modules/shared/tabular.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { headedColumns, oneOf, parseIntOption } from './shared.ts';
import { t } from '../../domain/text.ts';

export function registerReplyCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const replies = program.command('replies').description(l("Replies from debtors: an unhandled one pauses the debtor's strategy", 'Respuestas de los deudores: una sin atender pausa la estrategia del deudor'));

  replies
    .command('list')
    .description(l('Replies, newest first (by default those waiting for a person)', 'Respuestas, las más recientes primero (de forma predeterminada, las que esperan a una persona)'))
    .option('--status <status>', REPLY_STATUSES.join(' | '), oneOf('--status', REPLY_STATUSES), 'unhandled' as ReplyStatus)
    .option('--debtor <id>', l('only this debtor (external id)', 'solo este deudor (id externo)'))
    .option('--limit <n>', l('at most this many (default 50, at most 500)', 'como máximo estas (predeterminado 50, máximo 500)'), parseIntOption('--limit'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (opts: { status: ReplyStatus; debtor?: string; limit?: number; json?: boolean }) => {
      const page = await listReplies(await session.ctx(), { status: opts.status, debtorExternalId: opts.debtor, limit: opts.limit });
      if (opts.json) {
        io.stdout.write(jsonText(page));
        return;
      }
      if (page.data.length === 0) {
        io.stdout.write(opts.status === 'unhandled' ? l('no replies waiting\n', 'no hay respuestas pendientes\n') : l('no replies\n', 'no hay respuestas\n'));
        return;
      }
      io.stdout.write(
        formatTable(
          headedColumns(io, { id: 'id', received: 'recibida', debtor: 'deudor', channel: 'canal', from: 'de', handled: 'atendida', text: 'texto' }),
          page.data.map((r) => ({
            id: r.id,
            received: r.receivedAt.toISOString(),
            debtor: r.debtorExternalId ?? l('(unknown)', '(desconocido)'),
            channel: r.channel,
            from: r.from,
            handled: r.handledAt?.toISOString() ?? '',
            text: r.text.length > 60 ? `${r.text.slice(0, 59)}…` : r.text,
          })),
          { id: 'right' },
        ),
      );
      if (page.nextBefore !== null) io.stdout.write(l(`(more: --limit, or the API's ?before=${page.nextBefore})\n`, `(hay más: --limit, o ?before=${page.nextBefore} en la API)\n`));
    });

  replies
    .command('handle')
    .description(l("Mark a reply handled (and the debtor's earlier waiting ones): the strategy resumes at the next planning", 'Marcar una respuesta como atendida (y las anteriores del deudor que esperaban): la estrategia se reanuda en la próxima planeación'))
    .argument('<id>', l('the reply id (see "cobranza replies list")', 'el id de la respuesta (vea "cobranza replies list")'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (idText: string, opts: { json?: boolean }) => {
      const id = Number(idText);
      if (!/^\d+$/.test(idText) || !Number.isSafeInteger(id) || id < 1) throw new AppError('validation_failed', t(`the reply id must be a positive whole number, got "${idText}"`, `el id de la respuesta debe ser un número entero positivo; se recibió "${idText}"`));
      const r = await handleReply(await session.ctx('cli'), { id });
      if (opts.json) {
        io.stdout.write(jsonText(r));
        return;
      }
      const who = r.reply.debtorExternalId ?? l('an unknown sender', 'un remitente desconocido');
      if (r.alreadyHandled) {
        const at = r.reply.handledAt!.toISOString();
        io.stdout.write(l(`reply ${id} from ${who} was already handled at ${at}; nothing changed\n`, `la respuesta ${id} de ${who} ya se había atendido el ${at}; no cambió nada\n`));
        return;
      }
      const earlier = r.handledIds.length - 1;
      const also = earlier > 0 ? l(` (with ${earlier} earlier one${earlier > 1 ? 's' : ''})`, ` (con ${earlier} ${earlier > 1 ? 'anteriores' : 'anterior'})`) : '';
      const next =
        r.reply.debtorExternalId === null ? '' : r.strategyResumed ? l(`; the strategy resumes for ${who}`, `; la estrategia se reanuda para ${who}`) : l(`; ${who} has a later reply still waiting`, `; ${who} tiene una respuesta posterior todavía pendiente`);
      io.stdout.write(l(`reply ${id} handled${also}${next}\n`, `respuesta ${id} atendida${also}${next}\n`));
    });
}
