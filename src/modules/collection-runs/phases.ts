import { and, eq } from 'drizzle-orm';
import { accounts, accountStates, debtors, phaseChanges, portfolios } from '../../db/schema.ts';
import { isPhase, validateThresholds, type PhaseThresholds } from '../../domain/aging.ts';
import { dateInZone, parseDate } from '../../domain/calendar.ts';
import { AppError, invalidInput, t } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from '../access/audit.ts';
import { companyOf } from './company.ts';

async function findPortfolio(ctx: Ctx, name: string | undefined) {
  const portfolioName = name ?? 'default';
  const [p] = await ctx.database.db
    .select()
    .from(portfolios)
    .where(and(eq(portfolios.companyId, ctx.companyId), eq(portfolios.name, portfolioName)));
  if (!p) throw new AppError('not_found', t(`portfolio "${portfolioName}" does not exist`, `no existe la cartera "${portfolioName}"`));
  return p;
}

export interface PhaseSettings extends PhaseThresholds {
  portfolio: string;
}

/** The phase thresholds of a portfolio (default portfolio when none is named). */
export async function getPhases(ctx: Ctx, options: { portfolio?: string | undefined } = {}): Promise<PhaseSettings> {
  const p = await findPortfolio(ctx, options.portfolio);
  return {
    portfolio: p.name,
    preventiveDays: p.preventiveDays,
    administrativeFrom: p.administrativeFrom,
    extrajudicialFrom: p.extrajudicialFrom,
    judicialFrom: p.judicialFrom,
    graceDays: p.graceDays,
  };
}

/** Changes some thresholds; the result must still increase. Takes effect at the next run. */
export async function setPhases(ctx: Ctx, options: { portfolio?: string | undefined; thresholds: Partial<PhaseThresholds> }): Promise<PhaseSettings> {
  const current = await getPhases(ctx, options);
  const next: PhaseThresholds = {
    preventiveDays: options.thresholds.preventiveDays ?? current.preventiveDays,
    administrativeFrom: options.thresholds.administrativeFrom ?? current.administrativeFrom,
    extrajudicialFrom: options.thresholds.extrajudicialFrom ?? current.extrajudicialFrom,
    judicialFrom: options.thresholds.judicialFrom ?? current.judicialFrom,
    graceDays: options.thresholds.graceDays ?? current.graceDays,
  };
  const problems = validateThresholds(next);
  if (problems.length) throw new AppError(
      'validation_failed',
      t(`phase thresholds rejected: ${problems.map((p) => p.en).join('; ')}`, `umbrales de fase rechazados: ${problems.map((p) => p.es).join('; ')}`),
      problems.map((reason) => ({ reason })),
    );
  await ctx.database.db.transaction(async (tx) => {
    await tx
      .update(portfolios)
      .set(next)
      .where(and(eq(portfolios.companyId, ctx.companyId), eq(portfolios.name, current.portfolio)));
    await recordAudit(ctx, { action: 'phases.set', entity: 'portfolio', entityId: current.portfolio, before: current, after: { portfolio: current.portfolio, ...next } }, tx);
  });
  return { portfolio: current.portfolio, ...next };
}

/**
 * Sets (or, with phase null, clears) a manual phase on an account. It wins over thresholds until cleared or until
 * `until` passes, and is recorded with who and why.
 */
export async function overridePhase(
  ctx: Ctx,
  options: { debtorExternalId: string; portfolio?: string | undefined; phase: string | null; reason: string; until?: string | null | undefined },
): Promise<void> {
  if (options.phase !== null && (!isPhase(options.phase) || options.phase === 'settled')) {
    throw new AppError('validation_failed', t(`"${options.phase}" is not a phase that can be set by hand (preventive, administrative, extrajudicial, judicial, written_off)`, `"${options.phase}" no es una fase que se pueda asignar a mano (preventive, administrative, extrajudicial, judicial, written_off)`));
  }
  const reason = options.reason.trim();
  if (!reason) throw new AppError('validation_failed', t('a manual phase needs a reason', 'una fase manual necesita un motivo'), [{ path: 'reason', reason: t('required', 'obligatorio') }]);
  let until: string | null = null;
  if (options.until) {
    try {
      until = parseDate(options.until);
    } catch (error) {
      throw invalidInput(error, 'until');
    }
  }
  const { db } = ctx.database;
  const [debtor] = await db.select({ id: debtors.id }).from(debtors).where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, options.debtorExternalId)));
  if (!debtor) throw new AppError('not_found', t(`debtor "${options.debtorExternalId}" does not exist`, `no existe el deudor "${options.debtorExternalId}"`));
  const held = await db
    .select({ name: portfolios.name })
    .from(accounts)
    .innerJoin(portfolios, eq(portfolios.id, accounts.portfolioId))
    .where(eq(accounts.debtorId, debtor.id))
    .orderBy(portfolios.name);
  // Without a portfolio named, a debtor with a single account means that account, wherever it is.
  const p = await findPortfolio(ctx, options.portfolio ?? (held.length === 1 ? held[0]!.name : undefined));
  const company = await companyOf(ctx);
  const today = dateInZone(ctx.clock.now(), company.timeZone);
  await db.transaction(async (tx) => {
    const [account] = await tx
      .select()
      .from(accounts)
      .where(and(eq(accounts.portfolioId, p.id), eq(accounts.debtorId, debtor.id)));
    if (!account) {
      const portfolios = held.map((h) => `"${h.name}"`).join(', ');
      const where = held.length === 0 ? ' yet; run the daily run first' : `; its accounts are in portfolio ${portfolios}`;
      const whereEs = held.length === 0 ? ' todavía; ejecute primero la corrida diaria' : `; sus cuentas están en la cartera ${portfolios}`;
      throw new AppError('conflict', t(`debtor "${options.debtorExternalId}" has no account in portfolio "${p.name}"${where}`, `el deudor "${options.debtorExternalId}" no tiene una cuenta en la cartera "${p.name}"${whereEs}`));
    }
    const now = ctx.clock.now();
    await tx
      .update(accountStates)
      .set(
        options.phase === null
          ? { manualPhase: null, manualPhaseReason: null, manualPhaseBy: null, manualPhaseAt: null, manualPhaseUntil: null, updatedAt: now }
          : { manualPhase: options.phase, manualPhaseReason: reason, manualPhaseBy: ctx.actor, manualPhaseAt: now, manualPhaseUntil: until, phase: options.phase, phaseSource: 'manual', phaseSince: today, updatedAt: now },
      )
      .where(and(eq(accountStates.portfolioId, p.id), eq(accountStates.debtorId, debtor.id)));
    await tx.insert(phaseChanges).values({
      companyId: ctx.companyId,
      portfolioId: p.id,
      debtorId: debtor.id,
      asOf: today,
      fromPhase: account.phase,
      toPhase: options.phase ?? account.phase,
      cause: options.phase === null ? 'manual_cleared' : 'manual',
      actor: ctx.actor,
      reason,
    });
    await recordAudit(
      ctx,
      { action: options.phase === null ? 'phase.clear' : 'phase.override', entity: 'debtor', entityId: options.debtorExternalId, before: { portfolio: p.name, phase: account.phase, manual_phase: account.manualPhase }, after: { portfolio: p.name, phase: options.phase ?? account.phase, manual_phase: options.phase, reason, until } },
      tx,
    );
  });
}
