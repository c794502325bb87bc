/** What the conversation knows about a debtor at a turn: names, today in their zone, and what they owe. */
import { sql } from 'drizzle-orm';
import { dateInZone, isValidTimeZone, type PlainDate } from '../../domain/calendar.ts';
import type { BalanceLine, ConversationFacts } from '../../domain/conversation/index.ts';
import { loadAutomationSettings } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';

export interface DebtorFacts extends ConversationFacts {
  debtorId: number;
  debtorExternalId: string;
  timeZone: string;
  /** The company's calendar date, for dates the outbox keeps. */
  companyToday: PlainDate;
}

/**
 * Loads the facts of one turn. Balances are per currency from the debtor's obligations (never summed across
 * currencies); "overdue" is what fell due before today in the debtor's time zone. The conversation's currency is the
 * one with the most overdue, then the most owed, else the company's.
 */
export async function loadConversationFacts(ctx: Ctx, debtorId: number): Promise<DebtorFacts> {
  const [debtor] = await ctx.database.query<{ external_id: string; name: string; time_zone: string; default_currency: string }>(sql`
    SELECT d.external_id, d.name, d.time_zone, c.default_currency::text AS default_currency
      FROM debtors d JOIN companies c ON c.id = d.company_id
     WHERE d.company_id = ${ctx.companyId} AND d.id = ${debtorId}`);
  if (!debtor) throw notFound('debtor', debtorId);
  const settings = await loadAutomationSettings(ctx);
  const now = ctx.clock.now();
  const timeZone = isValidTimeZone(debtor.time_zone) ? debtor.time_zone : settings.timeZone;
  const today = dateInZone(now, timeZone);
  const rows = await ctx.database.query<{ currency: string; total: string; overdue: string; dpd: number | string | null }>(sql`
    SELECT currency::text AS currency, sum(balance)::text AS total,
           coalesce(sum(balance) FILTER (WHERE due_on < ${today}::date), 0)::text AS overdue,
           max(${today}::date - due_on) FILTER (WHERE due_on < ${today}::date) AS dpd
      FROM obligations
     WHERE company_id = ${ctx.companyId} AND debtor_id = ${debtorId} AND balance > 0
     GROUP BY currency`);
  const balances: BalanceLine[] = rows
    .map((r) => ({ currency: r.currency, total: BigInt(r.total), overdue: BigInt(r.overdue), daysPastDue: r.dpd === null ? null : Number(r.dpd) }))
    .sort((a, b) => (a.overdue !== b.overdue ? (b.overdue > a.overdue ? 1 : -1) : b.total > a.total ? 1 : b.total < a.total ? -1 : a.currency.localeCompare(b.currency)));
  return {
    debtorId,
    debtorExternalId: debtor.external_id,
    timeZone,
    today,
    companyToday: dateInZone(now, settings.timeZone),
    locale: settings.locale,
    debtorName: debtor.name,
    creditorName: settings.sender.creditor?.name ?? settings.companyName,
    currency: balances[0]?.currency ?? debtor.default_currency,
    balances,
  };
}
