/**
 * `cobranza worker`: the job worker (daily run at the company's hour → planning → dispatch, and the dispatch sweep
 * every minute). Any number may run against one PostgreSQL; on the embedded database it must be the process that
 * owns it. `--once` does one day's cycle and the dispatch now, then exits.
 *
 * `cobranza automation show|set`: when the daily run starts, and who messages come from (creditor identification,
 * links, sender addresses).
 */
import type { Command } from 'commander';
import { dispatchAll, runDailyCycle, startWorker } from '../../jobs/worker.ts';
import { loadAutomationSettings, setAutomationSettings } from '../../modules/messaging/index.ts';
import type { ProviderSource } from '../../jobs/worker.ts';
import { AppError } from '../../modules/shared/errors.ts';
import { createSandboxProvider } from '../../providers/sandbox.ts';
import type { Clock } from '../../modules/shared/clock.ts';
import { companyProvidersFromConfig } from '../providers.ts';
import { resolveSecretsKey } from '../secrets-key.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { stopSignal } from '../stop-signal.ts';
import { t } from '../../domain/text.ts';

/** Providers by channel for the worker (default: each company's saved credentials, else the configuration's). */
export type ProviderFactory = (clock: Clock) => ProviderSource;

/** Every channel in the sandbox (tests); letters have no sandbox and wait. */
export const sandboxProviders: ProviderFactory = (clock) => ({
  email: createSandboxProvider('email', { clock }),
  sms: createSandboxProvider('sms', { clock }),
  whatsapp: createSandboxProvider('whatsapp', { clock }),
});

export function registerWorkerCommands(
  program: Command,
  io: CliIO,
  session: Session,
  options: { providers?: ProviderFactory; waitForSignal?: () => Promise<unknown> } = {},
): void {
  const providersFor =
    options.providers ??
    ((clock: Clock) => companyProvidersFromConfig(session.config, clock, resolveSecretsKey(session.config, (message) => io.stderr.write(`warning: ${message}\n`))));
  const l = words(io);
  program
    .command('worker')
    .description(l('Run the job worker: the daily run at the company hour, planning, and dispatch of the outbox', 'Correr el worker de tareas: la corrida diaria a la hora de la empresa, la planeación y el envío de la bandeja de salida'))
    .option('--once', l("run today's cycle (daily run, planning, dispatch) now and exit", 'correr ahora el ciclo de hoy (corrida diaria, planeación, envío) y terminar'))
    .action(async (opts: { once?: boolean }) => {
      const providers = providersFor(session.clock);
      if (opts.once) {
        const ctx = await session.ctx('worker');
        await runDailyCycle(ctx, (line) => io.stdout.write(`${line}\n`));
        const d = await dispatchAll(ctx, { providers, limit: 200, budgetMs: Number.POSITIVE_INFINITY });
        io.stdout.write(
          l(
            `dispatch: ${d.sent} sent, ${d.retried} to retry, ${d.failed} failed, ${d.refused} refused, ${d.deferred} deferred, ${d.fallbacks} fallbacks\n`,
            `envío: ${d.sent} enviados, ${d.retried} por reintentar, ${d.failed} fallidos, ${d.refused} rechazados, ${d.deferred} aplazados, ${d.fallbacks} alternativas\n`,
          ),
        );
        return;
      }
      if (session.remote) {
        throw new AppError('conflict', t('the running server owns the embedded database and runs its own worker; stop it first, or use PostgreSQL (DATABASE_URL) to run separate workers', 'el servidor en marcha es dueño de la base de datos embebida y corre su propio worker; deténgalo primero o use PostgreSQL (DATABASE_URL) para correr workers separados'));
      }
      const database = await session.database();
      await session.company();
      const publicUrl = session.config.providers.publicUrl;
      // Listening before the worker says it runs, so a stop right after that line closes it rather than killing it.
      const stopped = (options.waitForSignal ?? stopSignal)();
      const worker = await startWorker({ database, clock: session.clock, providers, log: (line) => io.stdout.write(`${line}\n`), ...(publicUrl ? { appUrl: publicUrl } : {}) });
      io.stdout.write(l(`worker running (${database.backend.kind}); stop with Ctrl-C\n`, `worker en marcha (${database.backend.kind}); deténgalo con Ctrl-C\n`));
      await stopped;
      io.stdout.write(l('worker stopping…\n', 'deteniendo el worker…\n'));
      await worker.stop();
    });

  const automation = program.command('automation').description(l('When the engine runs and who messages come from', 'Cuándo corre el motor y de parte de quién van los mensajes'));
  automation
    .command('show')
    .description(l('The settings, as JSON', 'La configuración, en JSON'))
    .action(async () => {
      const s = await loadAutomationSettings(await session.ctx());
      const shown = { daily_run_at: s.dailyRunAt, time_zone: s.timeZone, enabled: s.enabled, fallback_rule_set: s.fallbackRuleSet, sender: s.sender, compliance: s.compliance };
      // The sender and the compliance adjustments are documents in the format `automation set` and the API use.
      io.stdout.write(jsonText(shown, { verbatim: ['sender', 'compliance'] }));
    });
  automation
    .command('set')
    .description(l('Change when the engine runs and the sender of messages', 'Cambiar cuándo corre el motor y el remitente de los mensajes'))
    .option('--daily-run-at <HH:MM>', l('local time of the daily run, planning and dispatch', 'hora local de la corrida diaria, la planeación y el envío'))
    .option('--enable', l('run automatically', 'correr automáticamente'))
    .option('--disable', l('stop running automatically', 'dejar de correr automáticamente'))
    .option('--creditor-name <text>', l("the creditor's name in messages", 'el nombre del acreedor en los mensajes'))
    .option('--creditor-legal-id <text>', 'RFC, RUT, NIT, RUC…')
    .option('--creditor-phone <text>', l("the creditor's phone in messages", 'el teléfono del acreedor en los mensajes'))
    .option('--agency-name <text>', l('the collection agency that writes on behalf of the creditor', 'el despacho de cobranza que escribe en nombre del acreedor'))
    .option('--agency-id <text>', l("the agency's identification", 'la identificación del despacho'))
    .option('--email-from <address>', l('e.g. "Cobranza ACME <cobranza@acme.mx>"', 'p. ej. "Cobranza ACME <cobranza@acme.mx>"'))
    .option('--reply-to <address>', l('where email replies go', 'adónde van las respuestas a los correos'))
    .option('--payment-link <url>', l('https:// link; {debtor} becomes the debtor id', 'enlace https://; {debtor} se reemplaza por el id del deudor'))
    .option('--portal-link <url>', l('https:// link; {debtor} becomes the debtor id', 'enlace https://; {debtor} se reemplaza por el id del deudor'))
    .option('--unsubscribe-url <url>', l('mailto: or https:// for the List-Unsubscribe header', 'mailto: o https:// para el encabezado List-Unsubscribe'))
    .action(async (o: Record<string, string | boolean | undefined>) => {
      if (o.enable && o.disable) throw new AppError('validation_failed', t('give --enable or --disable, not both', 'indique --enable o --disable, no ambos'));
      const ctx = await session.ctx();
      const current = (await loadAutomationSettings(ctx)).sender;
      const text = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
      const creditor = { ...current.creditor, ...defined({ name: text('creditorName'), legal_id: text('creditorLegalId'), phone: text('creditorPhone') }) };
      const agencyName = text('agencyName') ?? current.agency?.name;
      const agency = agencyName ? { ...current.agency, ...defined({ name: agencyName, identification: text('agencyId') }) } : undefined;
      const sender = {
        ...current,
        ...(Object.keys(creditor).length ? { creditor } : {}),
        ...(agency ? { agency } : {}),
        ...defined({
          email_from: text('emailFrom'),
          reply_to: text('replyTo'),
          payment_link: text('paymentLink'),
          portal_link: text('portalLink'),
          unsubscribe_url: text('unsubscribeUrl'),
        }),
      };
      const s = await setAutomationSettings(ctx, {
        dailyRunAt: text('dailyRunAt'),
        enabled: o.enable ? true : o.disable ? false : undefined,
        sender,
      });
      io.stdout.write(
        l(
          `automation ${s.enabled ? 'on' : 'off'}: daily run at ${s.dailyRunAt} (${s.timeZone}); running workers pick this up within 5 minutes\n`,
          `automatización ${s.enabled ? 'activada' : 'desactivada'}: corrida diaria a las ${s.dailyRunAt} (${s.timeZone}); los workers en marcha lo toman en menos de 5 minutos\n`,
        ),
      );
    });
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}


