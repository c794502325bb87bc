import { and, asc, eq } from 'drizzle-orm';
import { accounts, accountStates, debtors, phaseChanges, portfolios } from '../../db/schema.ts';
import { isPhase, validateThresholds, type PhaseThresholds, type ThresholdNames } from '../../domain/aging.ts';
import { dateInZone, parseDate } from '../../domain/calendar.ts';
import { AppError, invalidInput, notFound, t } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from '../access/audit.ts';
import { companyOf } from './company.ts';
import { portfolioHoldsDocuments } from './sql-fragments.ts';

async function findPortfolio(ctx: Ctx, name: string | undefined) {
  const portfolioName = name ?? 'default';
  const [p] = await ctx.database.db
    .select()
    .from(portfolios)
    .where(and(eq(portfolios.companyId, ctx.companyId), eq(portfolios.name, portfolioName)));
  if (!p) throw notFound('portfolio', portfolioName);
  return p;
}

export interface PhaseSettings extends PhaseThresholds {
  portfolio: string;
}

function settingsOf(p: typeof portfolios.$inferSelect): PhaseSettings {
  return {
    portfolio: p.name,
    preventiveDays: p.preventiveDays,
    administrativeFrom: p.administrativeFrom,
    extrajudicialFrom: p.extrajudicialFrom,
    judicialFrom: p.judicialFrom,
    graceDays: p.graceDays,
  };
}

/** The phase thresholds of a portfolio ("default" when none is named). */
export async function getPhases(ctx: Ctx, options: { portfolio?: string | undefined } = {}): Promise<PhaseSettings> {
  return settingsOf(await findPortfolio(ctx, options.portfolio));
}

/** Every portfolio of the company with its thresholds, by name, and whether it holds any document (obligation). */
export async function listPhases(ctx: Ctx): Promise<Array<PhaseSettings & { inUse: boolean }>> {
  const rows = await ctx.database.db
    .select({
      portfolio: portfolios,
      inUse: portfolioHoldsDocuments(),
    })
    .from(portfolios)
    .where(eq(portfolios.companyId, ctx.companyId))
    .orderBy(asc(portfolios.name));
  return rows.map((r) => ({ ...settingsOf(r.portfolio), inUse: !!r.inUse }));
}

/**
 * The portfolio a change of thresholds without a portfolio named is for: the only one holding documents (or the
 * only one there is). With several, a guess would change one and leave the others as they were, silently, so it is
 * refused, naming them; `hint` says how to name one or all of them (a CLI flag, an API path).
 */
export async function soleInUsePortfolio(ctx: Ctx, hint: { en: string; es: string }): Promise<string> {
  const all = await listPhases(ctx);
  const inUse = all.filter((p) => p.inUse);
  const candidates = inUse.length > 0 ? inUse : all;
  if (candidates.length === 1) return candidates[0]!.portfolio;
  if (candidates.length === 0) return 'default';
  const names = candidates.map((p) => `"${p.portfolio}"`).join(', ');
  throw new AppError(
    'validation_failed',
    t(`the company has ${candidates.length} portfolios with documents (${names}), each with its own thresholds; ${hint.en}`, `la empresa tiene ${candidates.length} carteras con documentos (${names}), cada una con sus propios umbrales; ${hint.es}`),
    [{ path: 'portfolio', reason: t('required when the company has several portfolios', 'obligatorio cuando la empresa tiene varias carteras') }],
  );
}

export interface SetPhasesOptions {
  thresholds: Partial<PhaseThresholds>;
  /** What the caller calls each threshold in a refusal (the API's fields unless told: the CLI's flags). */
  names?: ThresholdNames | undefined;
}

function nextThresholds(current: PhaseSettings, options: SetPhasesOptions): PhaseThresholds {
  const next: PhaseThresholds = {
    preventiveDays: options.thresholds.preventiveDays ?? current.preventiveDays,
    administrativeFrom: options.thresholds.administrativeFrom ?? current.administrativeFrom,
    extrajudicialFrom: options.thresholds.extrajudicialFrom ?? current.extrajudicialFrom,
    judicialFrom: options.thresholds.judicialFrom ?? current.judicialFrom,
    graceDays: options.thresholds.graceDays ?? current.graceDays,
  };
  const problems = validateThresholds(next, options.names);
  if (problems.length) {
    throw new AppError(
      'validation_failed',
      t(`phase thresholds of portfolio "${current.portfolio}" rejected: ${problems.map((p) => p.en).join('; ')}`, `umbrales de fase de la cartera "${current.portfolio}" rechazados: ${problems.map((p) => p.es).join('; ')}`),
      problems.map((reason) => ({ reason })),
    );
  }
  return next;
}

/** Changes some thresholds of one portfolio; the result must still increase. Takes effect at the next run. */
export async function setPhases(ctx: Ctx, options: SetPhasesOptions & { portfolio?: string | undefined }): Promise<PhaseSettings> {
  const [changed] = await savePhases(ctx, [await getPhases(ctx, options)], options);
  return changed!;
}

/** Changes the same thresholds in every portfolio of the company, all or none (each must still increase). */
export async function setPhasesEverywhere(ctx: Ctx, options: SetPhasesOptions): Promise<PhaseSettings[]> {
  return savePhases(ctx, await listPhases(ctx), options);
}

async function savePhases(ctx: Ctx, currents: PhaseSettings[], options: SetPhasesOptions): Promise<PhaseSettings[]> {
  const changes = currents.map((current) => ({ current, next: nextThresholds(current, options) }));
  await ctx.database.db.transaction(async (tx) => {
    for (const { current, next } of changes) {
      await tx
        .update(portfolios)
        .set(next)
        .where(and(eq(portfolios.companyId, ctx.companyId), eq(portfolios.name, current.portfolio)));
      const { portfolio, preventiveDays, administrativeFrom, extrajudicialFrom, judicialFrom, graceDays } = current;
      const before: PhaseSettings = { portfolio, preventiveDays, administrativeFrom, extrajudicialFrom, judicialFrom, graceDays };
      await recordAudit(ctx, { action: 'phases.set', entity: 'portfolio', entityId: portfolio, before, after: { portfolio, ...next } }, tx);
    }
  });
  return changes.map(({ current, next }) => ({ portfolio: current.portfolio, ...next }));
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
  const company = await companyOf(ctx);
  const today = dateInZone(ctx.clock.now(), company.timeZone);
  let until: string | null = null;
  if (options.until) {
    try {
      until = parseDate(options.until);
    } catch (error) {
      throw invalidInput(error, 'until');
    }
    // The manual phase holds through its last day: one that ended before today would change nothing.
    if (until < today) throw new AppError('validation_failed', t(`the manual phase would end on ${until}, before today (${today})`, `la fase manual terminaría el ${until}, antes de hoy (${today})`), [{ path: 'until', reason: t('must be today or later', 'debe ser hoy o después') }]);
  }
  const { db } = ctx.database;
  const [debtor] = await db.select({ id: debtors.id }).from(debtors).where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, options.debtorExternalId)));
  if (!debtor) throw notFound('debtor', options.debtorExternalId);
  const held = await db
    .select({ name: portfolios.name })
    .from(accounts)
    .innerJoin(portfolios, eq(portfolios.id, accounts.portfolioId))
    .where(eq(accounts.debtorId, debtor.id))
    .orderBy(portfolios.name);
  // Without a portfolio named, a debtor with a single account means that account, wherever it is; with several, the
  // caller says which.
  if (options.portfolio === undefined && held.length > 1) {
    const names = held.map((h) => `"${h.name}"`).join(', ');
    throw new AppError('validation_failed', t(`debtor "${options.debtorExternalId}" has accounts in portfolios ${names}: name one (--portfolio; API: portfolio)`, `el deudor "${options.debtorExternalId}" tiene cuentas en las carteras ${names}: indique una (--portfolio; API: portfolio)`), [{ path: 'portfolio', reason: t('required: the debtor has several accounts', 'obligatorio: el deudor tiene varias cuentas') }]);
  }
  const p = await findPortfolio(ctx, options.portfolio ?? (held.length === 1 ? held[0]!.name : undefined));
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
