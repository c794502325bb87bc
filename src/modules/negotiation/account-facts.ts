/**
 * What an offer is judged on, read live (a payment recorded since the last daily run already counts): the debtor's
 * open obligations in one currency — disputed ones left out — their balance, what is overdue, the next due date, and
 * the account's portfolio, segments and phase from the last daily run.
 */
import { sql } from 'drizzle-orm';
import { daysBetween, type PlainDate } from '../../domain/calendar.ts';
import { phaseFor } from '../../domain/aging.ts';
import type { OfferFacts, PolicyScope } from '../../domain/negotiation/index.ts';
import { parseCurrency } from '../../domain/money.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, textOf } from '../shared/errors.ts';
import { big, companyFacts, debtorById, todayOf } from './shared.ts';
import { t } from '../../domain/text.ts';

export interface OpenObligation {
  id: number;
  externalId: string;
  portfolioId: number;
  portfolio: string;
  currency: string;
  amount: bigint;
  balance: bigint;
  dueOn: PlainDate;
}

export interface AccountFacts {
  debtorId: number;
  today: PlainDate;
  currency: string | null;
  facts: OfferFacts;
  scope: PolicyScope;
  portfolioId: number | null;
  obligations: OpenObligation[];
}

export function currencyOf(input: string): string {
  try {
    return parseCurrency(input);
  } catch (error) {
    throw new AppError('validation_failed', textOf(error), [{ path: 'currency', reason: textOf(error) }]);
  }
}

/** Loads the facts; `obligationIds` restricts them to those obligations (each must be open and the debtor's). */
export async function loadAccountFacts(ctx: Ctx, options: { debtorId: number; currency?: string | undefined; obligationIds?: readonly number[] | undefined }): Promise<AccountFacts> {
  await debtorById(ctx, options.debtorId);
  const company = await companyFacts(ctx);
  const today = todayOf(ctx, company);
  const currency = options.currency ? currencyOf(options.currency) : null;
  const rows = await ctx.database.query<{ id: string | number; external_id: string; portfolio_id: string | number; portfolio: string; currency: string; amount: string; balance: string; due_on: string }>(sql`
    SELECT o.id, o.external_id, o.portfolio_id, p.name AS portfolio, o.currency::text AS currency, o.amount::text AS amount, o.balance::text AS balance, o.due_on::text AS due_on
      FROM obligations o JOIN portfolios p ON p.id = o.portfolio_id
     WHERE o.company_id = ${ctx.companyId} AND o.debtor_id = ${options.debtorId} AND o.balance > 0
       AND NOT EXISTS (SELECT 1 FROM disputes x WHERE x.obligation_id = o.id AND x.status = 'open')
     ORDER BY o.due_on, o.id`);
  let obligations: OpenObligation[] = rows.map((r) => ({
    id: Number(r.id),
    externalId: r.external_id,
    portfolioId: Number(r.portfolio_id),
    portfolio: r.portfolio,
    currency: r.currency.trim(),
    amount: big(r.amount),
    balance: big(r.balance),
    dueOn: r.due_on as PlainDate,
  }));
  if (currency) obligations = obligations.filter((o) => o.currency === currency);
  if (options.obligationIds && options.obligationIds.length) {
    const wanted = new Set(options.obligationIds);
    const found = obligations.filter((o) => wanted.has(o.id));
    const missing = [...wanted].filter((id) => !found.some((o) => o.id === id));
    if (missing.length) {
      throw new AppError('validation_failed', t(`obligation(s) ${missing.join(', ')} are not open obligations of this debtor${currency ? ` in ${currency}` : ''} (paid, disputed or someone else's)`, `los documentos ${missing.join(', ')} no son documentos abiertos de este deudor${currency ? ` en ${currency}` : ''} (pagados, en disputa o de otro deudor)`), missing.map((id) => ({ path: 'obligation_ids', reason: t(`obligation ${id} is not open`, `el documento ${id} no está abierto`) })));
    }
    obligations = found;
  }
  // Never sum across currencies: without a currency, the facts are those of the oldest obligation's currency.
  if (!currency && obligations[0]) obligations = obligations.filter((o) => o.currency === obligations[0]!.currency);
  const oldest = obligations[0] ?? null;
  const overdueRows = obligations.filter((o) => o.dueOn < today);
  const notDue = obligations.filter((o) => o.dueOn >= today);
  const dpd = oldest ? daysBetween(oldest.dueOn, today) : null;
  let scope: PolicyScope = { portfolio: oldest?.portfolio ?? null, segments: [], phase: dpd === null ? null : phaseFor(dpd) };
  if (oldest) {
    const [account] = await ctx.database.query<{ phase: string; segments: string[] }>(sql`
      SELECT phase, segments FROM accounts WHERE company_id = ${ctx.companyId} AND portfolio_id = ${oldest.portfolioId} AND debtor_id = ${options.debtorId}`);
    if (account) scope = { portfolio: oldest.portfolio, segments: account.segments ?? [], phase: account.phase };
  }
  return {
    debtorId: options.debtorId,
    today,
    currency,
    facts: {
      today,
      currency: currency ?? oldest?.currency ?? 'MXN',
      balance: obligations.reduce((s, o) => s + o.balance, 0n),
      overdue: overdueRows.reduce((s, o) => s + o.balance, 0n),
      phase: scope.phase,
      daysPastDue: dpd,
      nextDueOn: notDue[0]?.dueOn ?? null,
    },
    scope,
    portfolioId: oldest?.portfolioId ?? null,
    obligations,
  };
}
