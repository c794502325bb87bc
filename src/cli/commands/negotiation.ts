/**
 * `cobranza policy …`, `promises …`, `plans …`, `disputes …`, `hardship`, `negotiation …`: the negotiation policy,
 * promises to pay, payment plans and settlements, disputes, a debtor's negotiation state and the daily evaluation.
 * Debtors are named by external id; amounts are decimal strings ("1250.50").
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { FREQUENCIES, type Frequency } from '../../domain/negotiation/index.ts';
import {
  approvePlan,
  approvePromise,
  cancelPlan,
  cancelPromise,
  createPlan,
  createPromise,
  debtorIdByExternalId,
  DISPUTE_OUTCOMES,
  evaluateCommitments,
  evaluateOffer,
  flagHardship,
  getNegotiationState,
  getPolicy,
  listPlanOptions,
  NEGOTIATION_CHANNELS,
  openDispute,
  rejectPlan,
  rejectPromise,
  renderAgreementPdf,
  resolveDispute,
  setPolicy,
  statusEs,
  TAKEN_BY,
  type DisputeOutcome,
  type NegotiationChannel,
  type OfferInput,
  type TakenBy,
} from '../../modules/negotiation/index.ts';
import { formatDecimal } from '../../domain/money.ts';
import { AppError } from '../../modules/shared/errors.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { oneOf, parseIntOption, userPath } from './shared.ts';
import { t } from '../../domain/text.ts';

async function readUserFile(io: CliIO, file: string): Promise<string> {
  const path = userPath(io, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('validation_failed', t(`cannot read ${path}${code === 'ENOENT' ? ': no such file' : `: ${(error as Error).message}`}`, `no se puede leer ${path}${code === 'ENOENT' ? ': no existe el archivo' : `: ${(error as Error).message}`}`));
  }
}

const json = (io: CliIO, value: unknown): void => void io.stdout.write(jsonText(value));

interface OfferOptions {
  currency: string;
  promise?: string;
  on?: string;
  installments?: number;
  frequency?: Frequency;
  first?: string;
  down?: string;
  discount?: string;
  settle?: string;
  interest?: string;
}

function offerFrom(kind: string, o: OfferOptions): OfferInput {
  if (kind === 'promise') {
    if (!o.promise || !o.on) throw new AppError('validation_failed', t('a promise needs --amount and --on', 'una promesa necesita --amount y --on'));
    return { kind: 'promise', amount: o.promise, promisedOn: o.on };
  }
  if (kind === 'settlement') {
    if (!o.on) throw new AppError('validation_failed', t('a settlement needs --on (the payment date) and --discount or --amount', 'una liquidación necesita --on (la fecha de pago) y --discount o --amount'));
    return { kind: 'settlement', discount: o.discount, amount: o.settle, payOn: o.on };
  }
  if (kind === 'plan') {
    if (!o.installments || !o.frequency || !o.first) throw new AppError('validation_failed', t('a plan needs --installments, --frequency and --first', 'un plan necesita --installments, --frequency y --first'));
    return { kind: 'plan', installments: o.installments, frequency: o.frequency, firstInstallmentOn: o.first, downPayment: o.down, discount: o.discount, annualInterestPercent: o.interest === 'none' ? null : o.interest };
  }
  throw new AppError('validation_failed', t(`the offer kind must be promise, plan or settlement; got "${kind}"`, `el tipo de oferta debe ser promise, plan o settlement; se recibió "${kind}"`));
}

function offerOptions(c: Command, l: (en: string, es: string) => string): Command {
  return c
    .requiredOption('--currency <code>', l('ISO currency, e.g. MXN', 'moneda ISO, p. ej. MXN'))
    .option('--amount <decimal>', l('promise: amount promised; settlement: amount to pay', 'promesa: monto prometido; liquidación: monto a pagar'))
    .option('--on <date>', l('promise date or settlement payment date, YYYY-MM-DD', 'fecha de la promesa o fecha de pago de la liquidación, AAAA-MM-DD'))
    .option('--installments <n>', l('plan: number of installments', 'plan: número de cuotas'), parseIntOption('--installments'))
    .option('--frequency <f>', `plan: ${FREQUENCIES.join(' | ')}`, oneOf('--frequency', FREQUENCIES))
    .option('--first <date>', l('plan: first installment date', 'plan: fecha de la primera cuota'))
    .option('--down <decimal>', l('plan: down payment (today)', 'plan: enganche (hoy)'))
    .option('--discount <decimal>', l('plan or settlement: discount', 'plan o liquidación: descuento'))
    .option('--interest <percent>', l('plan: annual interest % ("none" for none; default: the policy)', 'plan: interés anual % ("none" para ninguno; predeterminado: el de la política)'));
}

const toOfferOptions = (o: OfferOptions & { amount?: string }): OfferOptions => ({ ...o, promise: o.amount, settle: o.amount });

export function registerNegotiationCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const es = io.language === 'es';
  /** A promise's, plan's or dispute's status in the CLI's language (a code in English). */
  const status = (code: string, gender: 'm' | 'f') => (es ? statusEs(code, gender) : code);
  const kindName = (kind: string) => l(kind, kind === 'settlement' ? 'liquidación' : kind === 'plan' ? 'convenio' : kind);
  const debtorArg = l('debtor external id', 'id externo del deudor');
  const note = l('a note for the record', 'una nota para el registro');
  const approval = l('outside the policy: wait for approval instead of refusing', 'fuera de la política: esperar la aprobación en lugar de rechazar');
  const policy = program.command('policy').description(l('Negotiation policy: limits for promises, plans and settlements', 'Política de negociación: límites de promesas, convenios y liquidaciones'));
  policy
    .command('show')
    .description(l('Print the policy file (the shipped default until one is set)', 'Imprimir el archivo de la política (la predeterminada hasta que se defina una)'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (opts: { json?: boolean }) => {
      const p = await getPolicy(await session.ctx());
      if (opts.json) json(io, p.document);
      else {
        const header = l(`# negotiation policy${p.isDefault ? ' (default)' : ` · version ${p.version} · by ${p.updatedBy}`}`, `# política de negociación${p.isDefault ? ' (predeterminada)' : ` · versión ${p.version} · por ${p.updatedBy}`}`);
        io.stdout.write(`${header}\n${p.source.endsWith('\n') ? p.source : `${p.source}\n`}`);
      }
    });
  policy
    .command('set')
    .description(l('Replace the policy from a YAML or JSON file (validated: every problem is listed, nothing changes)', 'Reemplazar la política desde un archivo YAML o JSON (se valida: se lista cada problema y no cambia nada)'))
    .argument('<file>', l('policy file (.yaml, .yml or .json)', 'archivo de la política (.yaml, .yml o .json)'))
    .action(async (file: string) => {
      const p = await setPolicy(await session.ctx(), { source: await readUserFile(io, file) });
      io.stdout.write(l(`negotiation policy saved: version ${p.version}\n`, `política de negociación guardada: versión ${p.version}\n`));
    });

  const negotiation = program.command('negotiation').description(l("A debtor's negotiation: state, offers, plan options, the daily evaluation", 'La negociación de un deudor: estado, ofertas, opciones de convenio, la evaluación diaria'));
  negotiation
    .command('state')
    .description(l("The debtor's promises, plans, disputes and what the policy allows, as JSON", 'Las promesas, convenios y disputas del deudor y lo que permite la política, en JSON'))
    .argument('<debtor>', debtorArg)
    .action(async (debtor: string) => {
      const ctx = await session.ctx();
      json(io, await getNegotiationState(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor) }));
    });
  offerOptions(
    negotiation
      .command('evaluate')
      .description(l('Judge an offer against the policy (writes nothing)', 'Juzgar una oferta según la política (no escribe nada)'))
      .argument('<debtor>', debtorArg)
      .argument('<kind>', 'promise | plan | settlement'),
    l,
  ).action(async (debtor: string, kind: string, opts: OfferOptions & { amount?: string }) => {
    const ctx = await session.ctx();
    const r = await evaluateOffer(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), currency: opts.currency, offer: offerFrom(kind, toOfferOptions(opts)) });
    const e = r.evaluation;
    const approver = e.approverRole ? l(` (approver: ${e.approverRole})`, ` (aprueba: ${e.approverRole})`) : '';
    io.stdout.write(`${e.outcome}${approver}: total ${formatDecimal(e.total, e.currency)} ${e.currency}\n`);
    for (const reason of e.reasons) io.stdout.write(`  ${reason.code}: ${l(reason.messageEn, reason.message)}\n`);
    for (const s of e.schedule) io.stdout.write(`  ${s.seq === 0 ? l('down payment', 'enganche') : l(`installment ${s.seq}`, `cuota ${s.seq}`)}  ${s.dueOn}  ${formatDecimal(s.amount, e.currency)}\n`);
  });
  negotiation
    .command('options')
    .description(l('Plans and settlement the debtor may take without approval', 'Convenios y liquidación que el deudor puede tomar sin aprobación'))
    .argument('<debtor>', debtorArg)
    .requiredOption('--currency <code>', l('ISO currency, e.g. MXN', 'moneda ISO, p. ej. MXN'))
    .action(async (debtor: string, opts: { currency: string }) => {
      const ctx = await session.ctx();
      const r = await listPlanOptions(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), currency: opts.currency });
      for (const o of r.options) {
        const e = o.evaluation;
        const inst = e.schedule.filter((s) => s.seq > 0);
        const what = o.offer.kind === 'settlement' ? kindName('settlement') : `${inst.length} × ${(o.offer as { frequency: string }).frequency}`;
        io.stdout.write(
          l(
            `${what}: total ${formatDecimal(e.total, e.currency)}, discount ${formatDecimal(e.discount, e.currency)}, first ${inst[0]?.dueOn ?? ''}\n`,
            `${what}: total ${formatDecimal(e.total, e.currency)}, descuento ${formatDecimal(e.discount, e.currency)}, primera ${inst[0]?.dueOn ?? ''}\n`,
          ),
        );
      }
      if (r.options.length === 0) io.stdout.write(l('no option without approval\n', 'ninguna opción sin aprobación\n'));
    });
  negotiation
    .command('evaluate-commitments')
    .description(l('Match payments to promises and plans as of a date (the worker does this every day)', 'Cruzar los pagos con las promesas y los convenios a una fecha (el worker lo hace cada día)'))
    .option('--as-of <date>', l('the day (default: today in the company time zone)', 'el día (predeterminado: hoy en la zona horaria de la empresa)'))
    .action(async (opts: { asOf?: string }) => {
      json(io, await evaluateCommitments(await session.ctx(), { asOf: opts.asOf }));
    });

  const promisesCmd = program.command('promises').description(l('Promises to pay', 'Promesas de pago'));
  promisesCmd
    .command('create')
    .description(l('Record a promise to pay, judged by the policy', 'Registrar una promesa de pago, juzgada por la política'))
    .argument('<debtor>', debtorArg)
    .requiredOption('--currency <code>', l('ISO currency, e.g. MXN', 'moneda ISO, p. ej. MXN'))
    .requiredOption('--amount <decimal>', l('amount promised', 'monto prometido'))
    .requiredOption('--on <date>', l('promised date', 'fecha prometida'))
    .option('--channel <c>', NEGOTIATION_CHANNELS.join(' | '), oneOf('--channel', NEGOTIATION_CHANNELS), 'phone')
    .option('--taken-by <who>', TAKEN_BY.join(' | '), oneOf('--taken-by', TAKEN_BY), 'collector')
    .option('--note <text>', note)
    .option('--request-approval', approval)
    .action(async (debtor: string, o: { currency: string; amount: string; on: string; channel: NegotiationChannel; takenBy: TakenBy; note?: string; requestApproval?: boolean }) => {
      const ctx = await session.ctx();
      const p = await createPromise(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), currency: o.currency, amount: o.amount, promisedOn: o.on, channel: o.channel, takenBy: o.takenBy, note: o.note, requestApproval: o.requestApproval });
      io.stdout.write(
        l(
          `promise #${p.id} ${p.status}: ${p.amount} ${p.currency} by ${p.promisedOn} (grace until ${p.graceUntil})\n`,
          `promesa #${p.id} ${status(p.status, 'f')}: ${p.amount} ${p.currency} para el ${p.promisedOn} (gracia hasta el ${p.graceUntil})\n`,
        ),
      );
    });
  promisesCmd
    .command('list')
    .description(l("The debtor's promises, as JSON", 'Las promesas del deudor, en JSON'))
    .argument('<debtor>', debtorArg)
    .action(async (debtor: string) => {
      const ctx = await session.ctx();
      json(io, (await getNegotiationState(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor) })).promises);
    });
  for (const [verb, action, description] of [
    ['approve', approvePromise, l('Approve a promise waiting for approval', 'Aprobar una promesa que espera aprobación')],
    ['reject', rejectPromise, l('Reject a promise waiting for approval', 'Rechazar una promesa que espera aprobación')],
    ['cancel', cancelPromise, l('Cancel a promise', 'Cancelar una promesa')],
  ] as const) {
    promisesCmd
      .command(verb)
      .description(description)
      .argument('<id>', l('promise id', 'id de la promesa'), parseIntOption('id'))
      .option('--note <text>', note)
      .action(async (id: number, o: { note?: string }) => {
        const p = await action(await session.ctx(), { promiseId: id, note: o.note });
        io.stdout.write(l(`promise #${p.id} ${p.status}\n`, `promesa #${p.id} ${status(p.status, 'f')}\n`));
      });
  }

  const plans = program.command('plans').description(l('Payment plans and settlements', 'Convenios de pago y liquidaciones'));
  offerOptions(
    plans
      .command('create')
      .description(l('Record a payment plan or a settlement, judged by the policy', 'Registrar un convenio de pago o una liquidación, juzgados por la política'))
      .argument('<debtor>', debtorArg)
      .argument('<kind>', 'plan | settlement'),
    l,
  )
    .option('--channel <c>', NEGOTIATION_CHANNELS.join(' | '), oneOf('--channel', NEGOTIATION_CHANNELS), 'phone')
    .option('--taken-by <who>', TAKEN_BY.join(' | '), oneOf('--taken-by', TAKEN_BY), 'collector')
    .option('--language <lang>', l('agreement language: es-MX | en', 'idioma del convenio: es-MX | en'), oneOf('--language', ['es-MX', 'en'] as const), 'es-MX')
    .option('--request-approval', approval)
    .action(async (debtor: string, kind: string, o: OfferOptions & { amount?: string; channel: NegotiationChannel; takenBy: TakenBy; language: 'es-MX' | 'en'; requestApproval?: boolean }) => {
      if (kind !== 'plan' && kind !== 'settlement') throw new AppError('validation_failed', t(`kind must be plan or settlement; got "${kind}"`, `kind debe ser plan o settlement; se recibió "${kind}"`));
      const ctx = await session.ctx();
      const offer = offerFrom(kind, toOfferOptions(o)) as Extract<OfferInput, { kind: 'plan' | 'settlement' }>;
      const p = await createPlan(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), currency: o.currency, offer, channel: o.channel, takenBy: o.takenBy, language: o.language, requestApproval: o.requestApproval });
      const n = p.installments.length;
      io.stdout.write(
        l(
          `${p.kind} #${p.id} ${p.status}: total ${p.total} ${p.currency} in ${n} payment(s)\n`,
          `${kindName(p.kind)} #${p.id} ${status(p.status, p.kind === 'settlement' ? 'f' : 'm')}: total ${p.total} ${p.currency} en ${n} ${n === 1 ? 'pago' : 'pagos'}\n`,
        ),
      );
    });
  for (const [verb, action, description] of [
    ['approve', approvePlan, l('Approve a plan or settlement waiting for approval', 'Aprobar un convenio o una liquidación que espera aprobación')],
    ['reject', rejectPlan, l('Reject a plan or settlement waiting for approval', 'Rechazar un convenio o una liquidación que espera aprobación')],
    ['cancel', cancelPlan, l('Cancel a plan or settlement', 'Cancelar un convenio o una liquidación')],
  ] as const) {
    plans
      .command(verb)
      .description(description)
      .argument('<id>', l('plan id', 'id del convenio'), parseIntOption('id'))
      .option('--note <text>', note)
      .action(async (id: number, o: { note?: string }) => {
        const p = await action(await session.ctx(), { planId: id, note: o.note });
        io.stdout.write(l(`${p.kind} #${p.id} ${p.status}\n`, `${kindName(p.kind)} #${p.id} ${status(p.status, p.kind === 'settlement' ? 'f' : 'm')}\n`));
      });
  }
  plans
    .command('pdf')
    .description(l('Write the agreement PDF', 'Escribir el PDF del convenio'))
    .argument('<id>', l('plan id', 'id del convenio'), parseIntOption('id'))
    .requiredOption('--out <file>', l('the PDF file to write', 'el archivo PDF que escribir'))
    .option('--language <lang>', 'es-MX | en', oneOf('--language', ['es-MX', 'en'] as const))
    .action(async (id: number, o: { out: string; language?: 'es-MX' | 'en' }) => {
      const { pdf } = await renderAgreementPdf(await session.ctx(), { planId: id, language: o.language });
      await writeFile(userPath(io, o.out), pdf);
      io.stdout.write(l(`agreement written to ${o.out} (${pdf.length} bytes)\n`, `convenio escrito en ${o.out} (${pdf.length} bytes)\n`));
    });

  const disputesCmd = program.command('disputes').description(l('Disputes of obligations', 'Aclaraciones de documentos'));
  disputesCmd
    .command('open')
    .description(l('Open a dispute of an obligation (it holds its collection)', 'Abrir una aclaración de un documento (suspende su cobranza)'))
    .argument('<debtor>', debtorArg)
    .requiredOption('--obligation <external id>', l("the obligation's external id", 'el id externo del documento'))
    .requiredOption('--reason <text>', l('what the debtor disputes', 'lo que el deudor aclara'))
    .option('--channel <c>', NEGOTIATION_CHANNELS.join(' | '), oneOf('--channel', NEGOTIATION_CHANNELS), 'phone')
    .option('--opened-by <who>', TAKEN_BY.join(' | '), oneOf('--opened-by', TAKEN_BY), 'debtor')
    .action(async (debtor: string, o: { obligation: string; reason: string; channel: NegotiationChannel; openedBy: TakenBy }) => {
      const ctx = await session.ctx();
      const debtorId = await debtorIdByExternalId(ctx, debtor);
      const state = await ctx.database.query<{ id: string | number }>(sql`SELECT id FROM obligations WHERE company_id = ${ctx.companyId} AND debtor_id = ${debtorId} AND external_id = ${o.obligation}`);
      if (!state[0]) throw new AppError('not_found', t(`obligation "${o.obligation}" of debtor "${debtor}" does not exist`, `no existe el documento "${o.obligation}" del deudor "${debtor}"`));
      const d = await openDispute(ctx, { debtorId, obligationId: Number(state[0].id), reason: o.reason, channel: o.channel, openedBy: o.openedBy });
      io.stdout.write(l(`dispute #${d.id} open on ${d.obligationExternalId}\n`, `aclaración #${d.id} abierta sobre ${d.obligationExternalId}\n`));
    });
  disputesCmd
    .command('resolve')
    .description(l('Resolve a dispute: upheld adjusts the obligation, rejected resumes its collection', 'Resolver una aclaración: procedente ajusta el documento, rechazada reanuda su cobranza'))
    .argument('<id>', l('dispute id', 'id de la aclaración'), parseIntOption('id'))
    .requiredOption('--outcome <o>', DISPUTE_OUTCOMES.join(' | '), oneOf('--outcome', DISPUTE_OUTCOMES))
    .requiredOption('--resolution <text>', l('what was decided, for the debtor', 'lo que se decidió, para el deudor'))
    .option('--amount <decimal>', l("upheld: the obligation's new amount (default 0: cancelled)", 'procedente: el nuevo monto del documento (predeterminado 0: cancelado)'))
    .action(async (id: number, o: { outcome: DisputeOutcome; resolution: string; amount?: string }) => {
      const d = await resolveDispute(await session.ctx(), { disputeId: id, outcome: o.outcome, resolution: o.resolution, adjustedAmount: o.amount });
      io.stdout.write(l(`dispute #${d.id} ${d.status}\n`, `aclaración #${d.id} ${status(d.status, 'f')}\n`) + `${d.debtorNotice ?? ''}\n`);
    });

  program
    .command('hardship')
    .description(l('Flag a debtor in hardship ("no puedo pagar") for a collector', 'Señalar a un deudor con dificultad para pagar ("no puedo pagar") para un gestor'))
    .argument('<debtor>', debtorArg)
    .option('--channel <c>', NEGOTIATION_CHANNELS.join(' | '), oneOf('--channel', NEGOTIATION_CHANNELS), 'phone')
    .option('--note <text>', note)
    .action(async (debtor: string, o: { channel: NegotiationChannel; note?: string }) => {
      const ctx = await session.ctx();
      const r = await flagHardship(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), channel: o.channel, note: o.note });
      io.stdout.write(l(`hardship task #${r.taskId}\n`, `tarea de dificultad de pago #${r.taskId}\n`));
    });
}
