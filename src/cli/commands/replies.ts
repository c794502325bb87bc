/**
 * `cobranza replies list|handle ID`: replies from debtors. An unhandled reply pauses the debtor's strategy; handling
 * it (and the debtor's earlier waiting replies) resumes the strategy at the next planning.
 */
import type { Command } from 'commander';
import { handleReply, listReplies, REPLY_STATUSES, type ReplyStatus } from '../../modules/messaging/index.ts';
import { AppError } from '../../modules/shared/errors.ts';
import { formatTable } from '../../modules/shared/tabular.ts';
import type { CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { oneOf, parseIntOption } from './shared.ts';
import { t } from '../../domain/text.ts';

export function registerReplyCommands(program: Command, io: CliIO, session: Session): void {
  const replies = program.command('replies').description("Replies from debtors (respuestas): an unhandled one pauses the debtor's strategy");

  replies
    .command('list')
    .description('Replies, newest first (by default those waiting for a person)')
    .option('--status <status>', REPLY_STATUSES.join(' | '), oneOf('--status', REPLY_STATUSES), 'unhandled' as ReplyStatus)
    .option('--debtor <id>', "only this debtor (external id)")
    .option('--limit <n>', 'at most this many (default 50, at most 500)', parseIntOption('--limit'))
    .option('--json', 'print JSON')
    .action(async (opts: { status: ReplyStatus; debtor?: string; limit?: number; json?: boolean }) => {
      const page = await listReplies(await session.ctx(), { status: opts.status, debtorExternalId: opts.debtor, limit: opts.limit });
      if (opts.json) {
        io.stdout.write(jsonText(page));
        return;
      }
      if (page.data.length === 0) {
        io.stdout.write(opts.status === 'unhandled' ? 'no replies waiting\n' : 'no replies\n');
        return;
      }
      io.stdout.write(
        formatTable(
          ['id', 'received', 'debtor', 'channel', 'from', 'handled', 'text'].map((k) => ({ key: k, header: k })),
          page.data.map((r) => ({
            id: r.id,
            received: r.receivedAt.toISOString(),
            debtor: r.debtorExternalId ?? '(unknown)',
            channel: r.channel,
            from: r.from,
            handled: r.handledAt?.toISOString() ?? '',
            text: r.text.length > 60 ? `${r.text.slice(0, 59)}…` : r.text,
          })),
          { id: 'right' },
        ),
      );
      if (page.nextBefore !== null) io.stdout.write(`(more: --limit, or the API's ?before=${page.nextBefore})\n`);
    });

  replies
    .command('handle')
    .description("Mark a reply handled (and the debtor's earlier waiting ones): the strategy resumes at the next planning")
    .argument('<id>', 'the reply id (see "cobranza replies list")')
    .option('--json', 'print JSON')
    .action(async (idText: string, opts: { json?: boolean }) => {
      const id = Number(idText);
      if (!/^\d+$/.test(idText) || !Number.isSafeInteger(id) || id < 1) throw new AppError('validation_failed', t(`the reply id must be a positive whole number, got "${idText}"`, `el id de la respuesta debe ser un número entero positivo; se recibió "${idText}"`));
      const r = await handleReply(await session.ctx('cli'), { id });
      if (opts.json) {
        io.stdout.write(jsonText(r));
        return;
      }
      const who = r.reply.debtorExternalId ?? 'an unknown sender';
      if (r.alreadyHandled) {
        io.stdout.write(`reply ${id} from ${who} was already handled at ${r.reply.handledAt!.toISOString()}; nothing changed\n`);
        return;
      }
      const also = r.handledIds.length > 1 ? ` (with ${r.handledIds.length - 1} earlier one${r.handledIds.length > 2 ? 's' : ''})` : '';
      const next = r.reply.debtorExternalId === null ? '' : r.strategyResumed ? `; the strategy resumes for ${who}` : `; ${who} has a later reply still waiting`;
      io.stdout.write(`reply ${id} handled${also}${next}\n`);
    });
}
