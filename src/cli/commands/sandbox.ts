/**
 * `cobranza sandbox reply DEBTOR "texto" [--channel whatsapp|sms|email]`: answer as a debtor in the demo. The reply
 * takes the path of a provider's inbound webhook: "BAJA" opts the debtor out of the channel; on WhatsApp the
 * self-service assistant answers; anything it leaves for a person pauses the debtor's strategy until handled.
 */
import type { Command } from 'commander';
import { replyAsDebtorInSandbox } from '../../modules/conversations/index.ts';
import { SANDBOX_REPLY_CHANNELS, type SandboxReplyChannel } from '../../modules/messaging/index.ts';
import type { CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { oneOf } from './shared.ts';

export function registerSandboxCommands(program: Command, io: CliIO, session: Session): void {
  const sandbox = program.command('sandbox').description('The demo sandbox: act as a debtor');
  sandbox
    .command('reply')
    .description('Record a reply from a debtor as if it came through the provider ("BAJA" opts out; any other reply pauses the strategy)')
    .argument('<debtor>', "the debtor's external id")
    .argument('<text>', 'what the debtor writes')
    .option('--channel <channel>', `${SANDBOX_REPLY_CHANNELS.join(' | ')} (default: the channel of the latest message to the debtor)`, oneOf('--channel', SANDBOX_REPLY_CHANNELS))
    .option('--json', 'print JSON')
    .action(async (debtor: string, text: string, opts: { channel?: SandboxReplyChannel; json?: boolean }) => {
      const r = await replyAsDebtorInSandbox(await session.ctx('cli:sandbox'), { debtorExternalId: debtor, channel: opts.channel, text });
      if (opts.json) {
        io.stdout.write(jsonText(r));
        return;
      }
      const answered = r.conversation?.kind === 'answered' ? r.conversation : null;
      const what = !r.attributed
        ? `not attached to ${debtor}: the address ${r.from} belongs to several debtors`
        : r.optedOut
          ? `${debtor} opted out of ${r.channel}; a confirmation is queued`
          : r.paused
            ? `the strategy is paused for ${debtor} until a person handles the reply`
            : 'answered by the WhatsApp assistant';
      io.stdout.write(`reply recorded on ${r.channel} from ${r.from}: ${what}\n`);
      if (answered?.reply) io.stdout.write(`queued answer:\n${answered.reply}\n`);
    });
}
