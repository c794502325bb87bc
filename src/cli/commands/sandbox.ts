/**
 * `cobranza sandbox reply DEBTOR "texto" [--channel whatsapp|sms|email]`: answer as a debtor in the demo. The reply
 * takes the path of a provider's inbound webhook: "BAJA" opts the debtor out of the channel; on WhatsApp the
 * self-service assistant answers; anything it leaves for a person pauses the debtor's strategy until handled.
 */
import type { Command } from 'commander';
import { replyAsDebtorInSandbox } from '../../modules/conversations/index.ts';
import { SANDBOX_REPLY_CHANNELS, type SandboxReplyChannel } from '../../modules/messaging/index.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { oneOf } from './shared.ts';

export function registerSandboxCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const sandbox = program.command('sandbox').description(l('The demo sandbox: act as a debtor', 'El entorno de prueba de la demostración: actuar como un deudor'));
  sandbox
    .command('reply')
    .description(
      l(
        'Record a reply from a debtor as if it came through the provider ("BAJA" opts out; any other reply pauses the strategy)',
        'Registrar una respuesta de un deudor como si llegara por el proveedor ("BAJA" da de baja; cualquier otra respuesta pausa la estrategia)',
      ),
    )
    .argument('<debtor>', l("the debtor's external id", 'el id externo del deudor'))
    .argument('<text>', l('what the debtor writes', 'lo que escribe el deudor'))
    .option(
      '--channel <channel>',
      l(`${SANDBOX_REPLY_CHANNELS.join(' | ')} (default: the channel of the latest message to the debtor)`, `${SANDBOX_REPLY_CHANNELS.join(' | ')} (predeterminado: el canal del último mensaje al deudor)`),
      oneOf('--channel', SANDBOX_REPLY_CHANNELS),
    )
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (debtor: string, text: string, opts: { channel?: SandboxReplyChannel; json?: boolean }) => {
      const r = await replyAsDebtorInSandbox(await session.ctx('cli:sandbox'), { debtorExternalId: debtor, channel: opts.channel, text });
      if (opts.json) {
        io.stdout.write(jsonText(r));
        return;
      }
      const answered = r.conversation?.kind === 'answered' ? r.conversation : null;
      const what = !r.attributed
        ? l(`not attached to ${debtor}: the address ${r.from} belongs to several debtors`, `no se asignó a ${debtor}: la dirección ${r.from} pertenece a varios deudores`)
        : r.optedOut
          ? l(`${debtor} opted out of ${r.channel}; a confirmation is queued`, `${debtor} se dio de baja de ${r.channel}; hay una confirmación en cola`)
          : r.paused
            ? l(`the strategy is paused for ${debtor} until a person handles the reply`, `la estrategia queda pausada para ${debtor} hasta que una persona atienda la respuesta`)
            : l('answered by the WhatsApp assistant', 'la contestó el asistente de WhatsApp');
      io.stdout.write(l(`reply recorded on ${r.channel} from ${r.from}: ${what}\n`, `respuesta registrada por ${r.channel} de ${r.from}: ${what}\n`));
      if (answered?.reply) io.stdout.write(l(`queued answer:\n${answered.reply}\n`, `respuesta en cola:\n${answered.reply}\n`));
    });
}
