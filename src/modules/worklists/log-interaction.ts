import { and, eq, sql } from 'drizzle-orm';
import { tasks } from '../../db/schema.ts';
import { interactions } from '../../db/tables/worklists.ts';
import { compareDates, parseDate, type PlainDate } from '../../domain/calendar.ts';
import { MoneyError, parseCurrency, parseDecimal } from '../../domain/money.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, invalidInput, type Message, problemsError, t, textOf } from '../shared/errors.ts';
import { INTERACTION_CHANNELS, INTERACTION_OUTCOMES, type InteractionChannel, type InteractionOutcome } from './interaction-codes.ts';
import { actingUserId, companyFacts, debtorByExternalId, companyToday } from './lookups.ts';
import { interactionView, type InteractionView } from './interaction-view.ts';
import { inTransaction } from './transaction.ts';
import { createPromise } from '../negotiation/index.ts';

/** How negotiation names the channel a promise was taken on. */
const PROMISE_CHANNEL: Record<InteractionChannel, 'phone' | 'visit' | 'whatsapp' | 'email' | 'sms' | 'other'> = {
  call: 'phone',
  visit: 'visit',
  whatsapp: 'whatsapp',
  email: 'email',
  sms: 'sms',
  letter: 'other',
  note: 'other',
};

export interface LogInteractionInput {
  debtorExternalId: string;
  channel: string;
  outcome: string;
  notes?: string | null | undefined;
  /** YYYY-MM-DD: when the account should be worked next (a callback, a follow-up). */
  nextActionOn?: string | null | undefined;
  /** Who worked the account; defaults to the signed-in user. */
  collectorId?: number | null | undefined;
  /** The call task this interaction completes. */
  taskId?: number | null | undefined;
  /** Required when the outcome is 'promise'. */
  promise?: { amount: string; currency?: string | undefined; date: string; requestApproval?: boolean | undefined } | null | undefined;
  idempotencyKey?: string | null | undefined;
}

export interface LogInteractionResult {
  interaction: InteractionView;
  /** False when the idempotency key had already recorded this interaction. */
  created: boolean;
}

/**
 * Records a gestión. A promise outcome carries the amount and date promised (validated here: amount > 0 in a currency
 * the debtor owes, date not in the past); completing a call task closes it in the same transaction. Submitting the
 * same idempotency key again returns the first record and changes nothing.
 */
export async function logInteraction(ctx: Ctx, input: LogInteractionInput): Promise<LogInteractionResult> {
  const problems: Array<{ path: string; reason: Message }> = [];
  const oneOf = (values: readonly string[]) => t(`must be one of ${values.join(', ')}`, `debe ser uno de ${values.join(', ')}`);
  if (!(INTERACTION_CHANNELS as readonly string[]).includes(input.channel)) problems.push({ path: 'channel', reason: oneOf(INTERACTION_CHANNELS) });
  if (!(INTERACTION_OUTCOMES as readonly string[]).includes(input.outcome)) problems.push({ path: 'outcome', reason: oneOf(INTERACTION_OUTCOMES) });
  const notes = input.notes?.trim() || null;
  if (notes && notes.length > 4000) problems.push({ path: 'notes', reason: t('at most 4000 characters', 'como máximo 4000 caracteres') });
  let nextActionOn: PlainDate | null = null;
  if (input.nextActionOn) {
    try {
      nextActionOn = parseDate(input.nextActionOn);
    } catch (error) {
      problems.push({ path: 'next_action_on', reason: textOf(error) });
    }
  }
  if (problems.length) throw problemsError(t('the interaction was not recorded', 'la gestión no se registró'), problems);

  const debtor = await debtorByExternalId(ctx, input.debtorExternalId);
  const company = await companyFacts(ctx);
  const today = await companyToday(ctx);
  const { db } = ctx.database;

  if (input.idempotencyKey) {
    const [existing] = await db
      .select()
      .from(interactions)
      .where(and(eq(interactions.companyId, ctx.companyId), eq(interactions.idempotencyKey, input.idempotencyKey)));
    if (existing) {
      if (existing.debtorId !== debtor.id) throw new AppError('conflict', t(`idempotency key "${input.idempotencyKey}" was already used for another debtor`, `la clave de idempotencia "${input.idempotencyKey}" ya se usó para otro deudor`));
      return { interaction: interactionView(existing, debtor.externalId), created: false };
    }
  }

  let promise: { amount: bigint; currency: string; date: PlainDate } | null = null;
  if (input.outcome === 'promise') {
    if (!input.promise) throw new AppError('validation_failed', t('a promise needs the amount and the date promised', 'una promesa necesita el monto y la fecha prometidos'), [{ path: 'promise', reason: t('required when outcome is promise', 'obligatorio cuando el resultado es promise') }]);
    promise = await validatePromise(ctx, debtor.id, input.promise, company.defaultCurrency, today);
  } else if (input.promise) {
    throw new AppError('validation_failed', t('only an interaction with outcome "promise" carries a promise', 'solo una gestión con resultado "promise" lleva una promesa'), [{ path: 'promise', reason: t('not allowed for this outcome', 'no se permite con este resultado') }]);
  }

  const collectorId = input.collectorId ?? actingUserId(ctx);
  // Read before the transaction: on the embedded database a read outside it would wait for it to finish.
  const portfolioId = await mainPortfolio(ctx, debtor.id);
  const row = await inTransaction(ctx, async (txCtx, tx) => {
    if (input.taskId !== undefined && input.taskId !== null) {
      const [task] = await tx
        .select()
        .from(tasks)
        .where(and(eq(tasks.companyId, ctx.companyId), eq(tasks.id, input.taskId)));
      if (!task || task.debtorId !== debtor.id) throw new AppError('not_found', t(`task ${input.taskId} does not exist for debtor "${debtor.externalId}"`, `no existe la tarea ${input.taskId} del deudor "${debtor.externalId}"`));
      if (task.status === 'open') {
        await tx
          .update(tasks)
          .set({ status: 'done', completedAt: ctx.clock.now(), updatedAt: ctx.clock.now() })
          .where(and(eq(tasks.id, task.id), eq(tasks.status, 'open')));
      }
    }
    const [inserted] = await tx
      .insert(interactions)
      .values({
        companyId: ctx.companyId,
        debtorId: debtor.id,
        portfolioId,
        channel: input.channel as InteractionChannel,
        outcome: input.outcome as InteractionOutcome,
        notes,
        nextActionOn,
        collectorId,
        actor: ctx.actor,
        occurredAt: ctx.clock.now(),
        taskId: input.taskId ?? null,
        promiseAmount: promise?.amount ?? null,
        promiseCurrency: promise?.currency ?? null,
        promiseDate: promise?.date ?? null,
        promiseId: null,
        idempotencyKey: input.idempotencyKey ?? null,
      })
      .returning();
    let recorded = inserted!;
    if (promise && input.promise) {
      // The promise itself belongs to negotiation (policy, hold, daily evaluation); a refusal there undoes the
      // interaction too, so the collector sees the reason and nothing half-recorded stays behind.
      const created = await createPromise(txCtx, {
        debtorId: debtor.id,
        currency: promise.currency,
        amount: input.promise.amount,
        promisedOn: promise.date,
        channel: PROMISE_CHANNEL[input.channel as InteractionChannel],
        takenBy: 'collector',
        note: notes,
        requestApproval: input.promise.requestApproval,
        ...(input.idempotencyKey ? { idempotencyKey: `interaction:${input.idempotencyKey}` } : {}),
      });
      [recorded] = await tx.update(interactions).set({ promiseId: created.id }).where(eq(interactions.id, recorded.id)).returning() as [typeof recorded];
    }
    await recordAudit(ctx, { action: 'interaction.create', entity: 'interaction', entityId: recorded.id, after: recorded }, tx);
    return recorded;
  });
  return { interaction: interactionView(row, debtor.externalId), created: true };
}

async function mainPortfolio(ctx: Ctx, debtorId: number): Promise<number | null> {
  const [row] = await ctx.database.query<{ portfolio_id: string | number }>(sql`
    SELECT portfolio_id FROM accounts WHERE company_id = ${ctx.companyId} AND debtor_id = ${debtorId}
     ORDER BY (phase = 'settled'), portfolio_id LIMIT 1`);
  return row ? Number(row.portfolio_id) : null;
}

async function validatePromise(
  ctx: Ctx,
  debtorId: number,
  input: { amount: string; currency?: string | undefined; date: string },
  defaultCurrency: string,
  today: PlainDate,
): Promise<{ amount: bigint; currency: string; date: PlainDate }> {
  const owed = await ctx.database.query<{ currency: string }>(sql`
    SELECT DISTINCT currency FROM obligations WHERE company_id = ${ctx.companyId} AND debtor_id = ${debtorId} AND balance > 0 ORDER BY currency`);
  const currencies = owed.map((o) => o.currency);
  let currency: string;
  try {
    currency = parseCurrency(input.currency ?? (currencies.length === 1 ? currencies[0]! : defaultCurrency));
  } catch (error) {
    throw invalidInput(error, 'promise.currency', t('promise currency', 'moneda de la promesa'));
  }
  if (!currencies.includes(currency)) {
    throw new AppError('validation_failed', t(`the debtor owes nothing in ${currency}${currencies.length ? ` (owes in ${currencies.join(', ')})` : ''}`, `el deudor no debe nada en ${currency}${currencies.length ? ` (debe en ${currencies.join(', ')})` : ''}`), [{ path: 'promise.currency', reason: t('not owed', 'no se debe') }]);
  }
  let amount: bigint;
  try {
    amount = parseDecimal(input.amount, currency);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    throw invalidInput(error, 'promise.amount', t('promise amount', 'monto de la promesa'));
  }
  if (amount <= 0n) throw new AppError('validation_failed', t('the promised amount must be greater than zero', 'el monto prometido debe ser mayor que cero'), [{ path: 'promise.amount', reason: t('must be > 0', 'debe ser > 0') }]);
  let date: PlainDate;
  try {
    date = parseDate(input.date);
  } catch (error) {
    throw invalidInput(error, 'promise.date', t('promise date', 'fecha de la promesa'));
  }
  if (compareDates(date, today) < 0) throw new AppError('validation_failed', t(`the promise date ${date} is before today (${today})`, `la fecha de la promesa ${date} es anterior a hoy (${today})`), [{ path: 'promise.date', reason: t('in the past', 'en el pasado') }]);
  return { amount, currency, date };
}
