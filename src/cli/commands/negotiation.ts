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
  TAKEN_BY,
  type DisputeOutcome,
  type NegotiationChannel,
  type OfferInput,
  type TakenBy,
} from '../../modules/negotiation/index.ts';
import { formatDecimal } from '../../domain/money.ts';
import { AppError } from '../../modules/shared/errors.ts';
import type { CliIO } from '../io.ts';
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

function offerOptions(c: Command): Command {
  return c
    .requiredOption('--currency <code>', 'ISO currency, e.g. MXN')
    .option('--amount <decimal>', 'promise: amount promised; settlement: amount to pay')
    .option('--on <date>', 'promise date or settlement payment date, YYYY-MM-DD')
    .option('--installments <n>', 'plan: number of installments', parseIntOption('--installments'))
    .option('--frequency <f>', `plan: ${FREQUENCIES.join(' | ')}`, oneOf('--frequency', FREQUENCIES))
    .option('--first <date>', 'plan: first installment date')
    .option('--down <decimal>', 'plan: down payment (today)')
    .option('--discount <decimal>', 'plan or settlement: discount')
    .option('--interest <percent>', 'plan: annual interest % ("none" for none; default: the policy)');
}

const toOfferOptions = (o: OfferOptions & { amount?: string }): OfferOptions => ({ ...o, promise: o.amount, settle: o.amount });

export function registerNegotiationCommands(program: Command, io: CliIO, session: Session): void {
  const policy = program.command('policy').description('Negotiation policy (política de negociación): limits for promises, plans and settlements');
  policy
    .command('show')
    .description('Print the policy file (the shipped default until one is set)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const p = await getPolicy(await session.ctx());
      if (opts.json) json(io, p.document);
      else io.stdout.write(`# negotiation policy${p.isDefault ? ' (default)' : ` · version ${p.version} · by ${p.updatedBy}`}\n${p.source.endsWith('\n') ? p.source : `${p.source}\n`}`);
    });
  policy
    .command('set')
    .description('Replace the policy from a YAML or JSON file (validated: every problem is listed, nothing changes)')
    .argument('<file>')
    .action(async (file: string) => {
      const p = await setPolicy(await session.ctx(), { source: await readUserFile(io, file) });
      io.stdout.write(`negotiation policy saved: version ${p.version}\n`);
    });

  const negotiation = program.command('negotiation').description("A debtor's negotiation: state, offers, plan options, the daily evaluation");
  negotiation
    .command('state')
    .argument('<debtor>', 'debtor external id')
    .action(async (debtor: string) => {
      const ctx = await session.ctx();
      json(io, await getNegotiationState(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor) }));
    });
  offerOptions(negotiation.command('evaluate').description('Judge an offer against the policy (writes nothing)').argument('<debtor>').argument('<kind>', 'promise | plan | settlement')).action(
    async (debtor: string, kind: string, opts: OfferOptions & { amount?: string }) => {
      const ctx = await session.ctx();
      const r = await evaluateOffer(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), currency: opts.currency, offer: offerFrom(kind, toOfferOptions(opts)) });
      const e = r.evaluation;
      io.stdout.write(`${e.outcome}${e.approverRole ? ` (approver: ${e.approverRole})` : ''}: total ${formatDecimal(e.total, e.currency)} ${e.currency}\n`);
      for (const reason of e.reasons) io.stdout.write(`  ${reason.code}: ${reason.message}\n`);
      for (const s of e.schedule) io.stdout.write(`  ${s.seq === 0 ? 'enganche' : `cuota ${s.seq}`}  ${s.dueOn}  ${formatDecimal(s.amount, e.currency)}\n`);
    },
  );
  negotiation
    .command('options')
    .description('Plans and settlement the debtor may take without approval')
    .argument('<debtor>')
    .requiredOption('--currency <code>')
    .action(async (debtor: string, opts: { currency: string }) => {
      const ctx = await session.ctx();
      const r = await listPlanOptions(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), currency: opts.currency });
      for (const o of r.options) {
        const e = o.evaluation;
        const inst = e.schedule.filter((s) => s.seq > 0);
        io.stdout.write(`${o.offer.kind === 'settlement' ? 'settlement' : `${inst.length} × ${(o.offer as { frequency: string }).frequency}`}: total ${formatDecimal(e.total, e.currency)}, discount ${formatDecimal(e.discount, e.currency)}, first ${inst[0]?.dueOn ?? ''}\n`);
      }
      if (r.options.length === 0) io.stdout.write('no option without approval\n');
    });
  negotiation
    .command('evaluate-commitments')
    .description('Match payments to promises and plans as of a date (the worker does this every day)')
    .option('--as-of <date>')
    .action(async (opts: { asOf?: string }) => {
      json(io, await evaluateCommitments(await session.ctx(), { asOf: opts.asOf }));
    });

  const promisesCmd = program.command('promises').description('Promises to pay (promesas de pago)');
  promisesCmd
    .command('create')
    .argument('<debtor>')
    .requiredOption('--currency <code>')
    .requiredOption('--amount <decimal>')
    .requiredOption('--on <date>', 'promised date')
    .option('--channel <c>', NEGOTIATION_CHANNELS.join(' | '), oneOf('--channel', NEGOTIATION_CHANNELS), 'phone')
    .option('--taken-by <who>', TAKEN_BY.join(' | '), oneOf('--taken-by', TAKEN_BY), 'collector')
    .option('--note <text>')
    .option('--request-approval', 'outside the policy: wait for approval instead of refusing')
    .action(async (debtor: string, o: { currency: string; amount: string; on: string; channel: NegotiationChannel; takenBy: TakenBy; note?: string; requestApproval?: boolean }) => {
      const ctx = await session.ctx();
      const p = await createPromise(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), currency: o.currency, amount: o.amount, promisedOn: o.on, channel: o.channel, takenBy: o.takenBy, note: o.note, requestApproval: o.requestApproval });
      io.stdout.write(`promise #${p.id} ${p.status}: ${p.amount} ${p.currency} by ${p.promisedOn} (grace until ${p.graceUntil})\n`);
    });
  promisesCmd
    .command('list')
    .argument('<debtor>')
    .action(async (debtor: string) => {
      const ctx = await session.ctx();
      json(io, (await getNegotiationState(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor) })).promises);
    });
  for (const [verb, action] of [['approve', approvePromise], ['reject', rejectPromise], ['cancel', cancelPromise]] as const) {
    promisesCmd
      .command(verb)
      .argument('<id>', 'promise id', parseIntOption('id'))
      .option('--note <text>')
      .action(async (id: number, o: { note?: string }) => {
        const p = await action(await session.ctx(), { promiseId: id, note: o.note });
        io.stdout.write(`promise #${p.id} ${p.status}\n`);
      });
  }

  const plans = program.command('plans').description('Payment plans and settlements (convenios, liquidaciones)');
  offerOptions(plans.command('create').argument('<debtor>').argument('<kind>', 'plan | settlement'))
    .option('--channel <c>', NEGOTIATION_CHANNELS.join(' | '), oneOf('--channel', NEGOTIATION_CHANNELS), 'phone')
    .option('--taken-by <who>', TAKEN_BY.join(' | '), oneOf('--taken-by', TAKEN_BY), 'collector')
    .option('--language <lang>', 'agreement language: es-MX | en', oneOf('--language', ['es-MX', 'en'] as const), 'es-MX')
    .option('--request-approval', 'outside the policy: wait for approval instead of refusing')
    .action(async (debtor: string, kind: string, o: OfferOptions & { amount?: string; channel: NegotiationChannel; takenBy: TakenBy; language: 'es-MX' | 'en'; requestApproval?: boolean }) => {
      if (kind !== 'plan' && kind !== 'settlement') throw new AppError('validation_failed', t(`kind must be plan or settlement; got "${kind}"`, `kind debe ser plan o settlement; se recibió "${kind}"`));
      const ctx = await session.ctx();
      const offer = offerFrom(kind, toOfferOptions(o)) as Extract<OfferInput, { kind: 'plan' | 'settlement' }>;
      const p = await createPlan(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), currency: o.currency, offer, channel: o.channel, takenBy: o.takenBy, language: o.language, requestApproval: o.requestApproval });
      io.stdout.write(`${p.kind} #${p.id} ${p.status}: total ${p.total} ${p.currency} in ${p.installments.length} payment(s)\n`);
    });
  for (const [verb, action] of [['approve', approvePlan], ['reject', rejectPlan], ['cancel', cancelPlan]] as const) {
    plans
      .command(verb)
      .argument('<id>', 'plan id', parseIntOption('id'))
      .option('--note <text>')
      .action(async (id: number, o: { note?: string }) => {
        const p = await action(await session.ctx(), { planId: id, note: o.note });
        io.stdout.write(`${p.kind} #${p.id} ${p.status}\n`);
      });
  }
  plans
    .command('pdf')
    .description('Write the agreement PDF')
    .argument('<id>', 'plan id', parseIntOption('id'))
    .requiredOption('--out <file>')
    .option('--language <lang>', 'es-MX | en', oneOf('--language', ['es-MX', 'en'] as const))
    .action(async (id: number, o: { out: string; language?: 'es-MX' | 'en' }) => {
      const { pdf } = await renderAgreementPdf(await session.ctx(), { planId: id, language: o.language });
      await writeFile(userPath(io, o.out), pdf);
      io.stdout.write(`agreement written to ${o.out} (${pdf.length} bytes)\n`);
    });

  const disputesCmd = program.command('disputes').description('Disputes of obligations (aclaraciones)');
  disputesCmd
    .command('open')
    .argument('<debtor>')
    .requiredOption('--obligation <external id>')
    .requiredOption('--reason <text>')
    .option('--channel <c>', NEGOTIATION_CHANNELS.join(' | '), oneOf('--channel', NEGOTIATION_CHANNELS), 'phone')
    .option('--opened-by <who>', TAKEN_BY.join(' | '), oneOf('--opened-by', TAKEN_BY), 'debtor')
    .action(async (debtor: string, o: { obligation: string; reason: string; channel: NegotiationChannel; openedBy: TakenBy }) => {
      const ctx = await session.ctx();
      const debtorId = await debtorIdByExternalId(ctx, debtor);
      const state = await ctx.database.query<{ id: string | number }>(sql`SELECT id FROM obligations WHERE company_id = ${ctx.companyId} AND debtor_id = ${debtorId} AND external_id = ${o.obligation}`);
      if (!state[0]) throw new AppError('not_found', t(`obligation "${o.obligation}" of debtor "${debtor}" does not exist`, `no existe el documento "${o.obligation}" del deudor "${debtor}"`));
      const d = await openDispute(ctx, { debtorId, obligationId: Number(state[0].id), reason: o.reason, channel: o.channel, openedBy: o.openedBy });
      io.stdout.write(`dispute #${d.id} open on ${d.obligationExternalId}\n`);
    });
  disputesCmd
    .command('resolve')
    .argument('<id>', 'dispute id', parseIntOption('id'))
    .requiredOption('--outcome <o>', DISPUTE_OUTCOMES.join(' | '), oneOf('--outcome', DISPUTE_OUTCOMES))
    .requiredOption('--resolution <text>')
    .option('--amount <decimal>', 'upheld: the obligation\'s new amount (default 0: cancelled)')
    .action(async (id: number, o: { outcome: DisputeOutcome; resolution: string; amount?: string }) => {
      const d = await resolveDispute(await session.ctx(), { disputeId: id, outcome: o.outcome, resolution: o.resolution, adjustedAmount: o.amount });
      io.stdout.write(`dispute #${d.id} ${d.status}\n${d.debtorNotice ?? ''}\n`);
    });

  program
    .command('hardship')
    .description('Flag a debtor in hardship ("no puedo pagar") for a collector')
    .argument('<debtor>')
    .option('--channel <c>', NEGOTIATION_CHANNELS.join(' | '), oneOf('--channel', NEGOTIATION_CHANNELS), 'phone')
    .option('--note <text>')
    .action(async (debtor: string, o: { channel: NegotiationChannel; note?: string }) => {
      const ctx = await session.ctx();
      const r = await flagHardship(ctx, { debtorId: await debtorIdByExternalId(ctx, debtor), channel: o.channel, note: o.note });
      io.stdout.write(`hardship task #${r.taskId}\n`);
    });
}
