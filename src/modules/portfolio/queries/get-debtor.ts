import { and, asc, eq, getViewSelectedFields, gt, isNull, ne, sql } from 'drizzle-orm';
import { accounts, debtors, holds, obligations, payments, portfolios } from '../../../db/schema.ts';
import { notFound } from '../../shared/errors.ts';
import type { Ctx } from '../../shared/context.ts';
import { visibleDebtorFilter } from '../../access/visibility.ts';
import { debtorAccountView, debtorView, isoInstant, perCurrency, type DebtorAccountView, type DebtorView } from './views.ts';

/** A hold that has not been released (it may still carry a future expiry). */
export interface DebtorHoldView {
  reason: string;
  note: string | null;
  starts_on: string;
  expires_on: string | null;
  created_by: string;
  created_at: string;
}

/** A debtor with what it owes and holds in credit (per currency, never summed across currencies). */
export interface DebtorDetailView extends DebtorView {
  balances: Record<string, string>;
  unapplied: Record<string, string>;
  accounts: DebtorAccountView[];
  holds: DebtorHoldView[];
}

/**
 * Reads the company's debtor row by its external id, or throws `not_found` (also for another company's debtor, and
 * for a debtor not placed with the agency asking).
 */
export async function findDebtorRow(ctx: Ctx, externalId: string): Promise<typeof debtors.$inferSelect> {
  const [row] = await ctx.database.db
    .select()
    .from(debtors)
    .where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, externalId), visibleDebtorFilter(ctx)));
  if (!row) throw notFound('debtor', externalId);
  return row;
}

/** One debtor with balances and unapplied credit per currency, its accounts per portfolio and its open holds. */
export async function getDebtor(ctx: Ctx, options: { externalId: string }): Promise<DebtorDetailView> {
  const row = await findDebtorRow(ctx, options.externalId);
  const { db } = ctx.database;
  const scope = (t: typeof obligations | typeof payments) => and(eq(t.companyId, ctx.companyId), eq(t.debtorId, row.id));
  const [owed, credit, accountRows, holdRows] = await Promise.all([
    db
      .select({ currency: obligations.currency, amount: sql<string>`sum(${obligations.balance})::text` })
      .from(obligations)
      .where(and(scope(obligations), ne(obligations.balance, 0n)))
      .groupBy(obligations.currency),
    db
      .select({ currency: payments.currency, amount: sql<string>`sum(${payments.unapplied})::text` })
      .from(payments)
      .where(and(scope(payments), isNull(payments.reversedAt), gt(payments.unapplied, 0n)))
      .groupBy(payments.currency),
    db
      .select({ account: getViewSelectedFields(accounts), portfolio: portfolios.name })
      .from(accounts)
      .innerJoin(portfolios, eq(portfolios.id, accounts.portfolioId))
      .where(and(eq(accounts.companyId, ctx.companyId), eq(accounts.debtorId, row.id)))
      .orderBy(asc(portfolios.name)),
    db
      .select()
      .from(holds)
      .where(and(eq(holds.companyId, ctx.companyId), eq(holds.debtorId, row.id), isNull(holds.releasedAt)))
      .orderBy(asc(holds.id)),
  ]);
  return debtorDetailView(row, { owed, credit, accounts: accountRows, holds: holdRows });
}

/**
 * A debtor's detail from its rows: open balances and unapplied credit summed per currency, accounts with their
 * portfolio's name (in portfolio name order) and open holds (in id order). Read models that load these rows their
 * own way (the debtor 360) build the same view with it.
 */
export function debtorDetailView(
  row: typeof debtors.$inferSelect,
  parts: {
    owed: ReadonlyArray<{ currency: string; amount: string }>;
    credit: ReadonlyArray<{ currency: string; amount: string }>;
    accounts: ReadonlyArray<{ account: typeof accounts.$inferSelect; portfolio: string }>;
    holds: ReadonlyArray<typeof holds.$inferSelect>;
  },
): DebtorDetailView {
  return {
    ...debtorView(row),
    balances: perCurrency(parts.owed),
    unapplied: perCurrency(parts.credit),
    accounts: parts.accounts.map(({ account, portfolio }) => debtorAccountView(account, portfolio)),
    holds: parts.holds.map((h) => ({
      reason: h.reason,
      note: h.note,
      starts_on: h.startsOn,
      expires_on: h.expiresOn,
      created_by: h.createdBy,
      created_at: isoInstant(h.createdAt)!,
    })),
  };
}
