/**
 * Applies payments that providers reported (a webhook, a bank statement line, a sandbox click) to their links.
 *
 * Invariants:
 * - one provider payment applies at most once: its (provider, provider payment id) row is inserted first, and a
 *   replay finds it and changes nothing;
 * - the amount and currency must equal the link's; anything else (and a payment for a link that is not open, or a
 *   reference that names no link) is refused: recorded with a `payment_alerts` row for treasury, nothing applied;
 * - an accepted payment becomes a portfolio payment through the portfolio's own write path (`saveRecords`), so the
 *   allocation rules apply, in the same transaction that marks the link paid.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/connection.ts';
import { dateInZone } from '../../domain/calendar.ts';
import { formatDecimal } from '../../domain/money.ts';
import { recordAudit } from '../access/audit.ts';
import { saveRecords } from '../portfolio/index.ts';
import type { Ctx } from '../shared/context.ts';
import type { PaymentProvider } from './ports.ts';

/** Why money was not applied. */
export const ALERT_KINDS = ['amount_mismatch', 'currency_mismatch', 'unknown_reference', 'link_not_open'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** One payment as a provider reported it. Name the link by `linkPublicId` (hosted checkouts) or `reference` (bank). */
export interface ProviderPaymentInput {
  provider: PaymentProvider;
  /** Unique per provider: the Checkout Session id, the Mercado Pago payment id, the bank transaction id. */
  providerPaymentId: string;
  linkPublicId?: string | null | undefined;
  /** The payer's reference (a bank statement's reference column): a link's reference or CLABE. */
  reference?: string | null | undefined;
  /** Minor units in our exponent table. */
  amount: bigint;
  currency: string;
  paidAt: Date;
  /** The calendar day of the payment when the provider gives only a date (bank statements); default: paidAt's day in the company's zone. */
  paidOn?: string | undefined;
  /** Provider fields kept for treasury (no secrets). */
  raw?: Record<string, unknown> | undefined;
}

/** What became of one reported payment. `duplicate`: already received before; nothing changed now. */
export interface ApplyOutcome {
  outcome: 'applied' | 'refused' | 'duplicate';
  /** For refused (and duplicates of refused) payments. */
  reason: AlertKind | null;
  linkId: number | null;
  linkPublicId: string | null;
  /** The portfolio payment's external id when applied. */
  paymentExternalId: string | null;
  alertId: number | null;
}

interface LinkLock {
  id: string;
  public_id: string;
  debtor_id: string;
  debtor_external_id: string;
  target_kind: string;
  obligation_external_id: string | null;
  amount: string;
  currency: string;
  status: string;
}

const rowsOf = async <T>(db: Db, statement: ReturnType<typeof sql>): Promise<T[]> => ((await db.execute(statement)) as unknown as { rows: T[] }).rows;

/** Applies one reported payment; see the module comment. Never throws for a mismatch: it is an outcome. */
export async function applyProviderPayment(ctx: Ctx, input: ProviderPaymentInput): Promise<ApplyOutcome> {
  const [outcome] = await applyProviderPayments(ctx, [input]);
  return outcome!;
}

/**
 * Applies several reported payments in one transaction (a bank statement): all of them or, when the database fails,
 * none. Mismatches are outcomes, not failures.
 */
export async function applyProviderPayments(ctx: Ctx, inputs: readonly ProviderPaymentInput[], db?: Db): Promise<ApplyOutcome[]> {
  if (db) return applyIn(ctx, db, inputs);
  return ctx.database.db.transaction(async (tx) => applyIn(ctx, tx as unknown as Db, inputs));
}

/** A portfolio payment's external id for a provider payment (at most 100 characters, as the portfolio requires). */
export function paymentExternalIdOf(provider: PaymentProvider, providerPaymentId: string): string {
  const id = `${provider}:${providerPaymentId}`;
  return id.length <= 100 ? id : `${provider}:sha256:${createHash('sha256').update(providerPaymentId).digest('hex').slice(0, 64)}`;
}

async function applyIn(ctx: Ctx, tx: Db, inputs: readonly ProviderPaymentInput[]): Promise<ApplyOutcome[]> {
  const [company] = await rowsOf<{ time_zone: string }>(tx, sql`SELECT time_zone FROM companies WHERE id = ${ctx.companyId}`);
  const now = ctx.clock.now();
  const today = dateInZone(now, company!.time_zone);
  const outcomes: ApplyOutcome[] = [];
  const toSave: Array<{ row: Record<string, string | null>; providerPaymentRowId: string; link: LinkLock; input: ProviderPaymentInput }> = [];

  for (const input of inputs) {
    const link = await findLink(ctx, tx, input);
    // Money a provider or bank reports has arrived: a date after the company's today (a provider's clock or time zone
    // ahead of ours, a value date) is kept as reported for treasury, and the portfolio records the payment as of
    // today, the latest date its write path accepts.
    const reported = input.paidOn ?? dateInZone(input.paidAt, company!.time_zone);
    const paidOn = reported > today ? today : reported;
    const [inserted] = await rowsOf<{ id: string }>(
      tx,
      sql`INSERT INTO provider_payments (company_id, provider, provider_payment_id, payment_link_id, reference, currency, amount, paid_on, status, raw, received_at)
          VALUES (${ctx.companyId}, ${input.provider}, ${input.providerPaymentId}, ${link ? link.id : null}::bigint, ${input.reference ?? input.linkPublicId ?? null},
            ${input.currency}, ${input.amount.toString()}::bigint, ${reported}::date, 'received', ${input.raw ? JSON.stringify(input.raw) : null}::jsonb, ${now.toISOString()}::timestamptz)
          ON CONFLICT (company_id, provider, provider_payment_id) DO NOTHING
          RETURNING id::text AS id`,
    );
    if (!inserted) {
      outcomes.push(await duplicateOutcome(ctx, tx, input));
      continue;
    }
    const reason = refusal(link, input);
    if (reason) {
      const [alert] = await rowsOf<{ id: string }>(
        tx,
        sql`INSERT INTO payment_alerts (company_id, kind, provider_payment_id, payment_link_id, debtor_id, currency, amount, expected_currency, expected_amount, detail, created_at)
            VALUES (${ctx.companyId}, ${reason}, ${inserted.id}::bigint, ${link ? link.id : null}::bigint, ${link ? link.debtor_id : null}::bigint,
              ${input.currency}, ${input.amount.toString()}::bigint, ${link ? link.currency.trim() : null}, ${link ? link.amount : null}::bigint,
              ${describe(reason, input, link)}, ${now.toISOString()}::timestamptz)
            RETURNING id::text AS id`,
      );
      await tx.execute(sql`UPDATE provider_payments SET status = 'refused', reason = ${reason} WHERE id = ${inserted.id}::bigint`);
      outcomes.push({ outcome: 'refused', reason, linkId: link ? Number(link.id) : null, linkPublicId: link?.public_id ?? null, paymentExternalId: null, alertId: Number(alert!.id) });
      continue;
    }
    // Marked paid now, so a second payment for the same link later in this batch is refused as link_not_open.
    await tx.execute(sql`UPDATE payment_links SET status = 'paid', paid_at = ${input.paidAt.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz WHERE id = ${link!.id}::bigint`);
    link!.status = 'paid';
    const externalId = paymentExternalIdOf(input.provider, input.providerPaymentId);
    toSave.push({
      providerPaymentRowId: inserted.id,
      link: link!,
      input,
      row: {
        external_id: externalId,
        debtor_external_id: link!.debtor_external_id,
        obligation_external_id: link!.target_kind === 'obligation' ? link!.obligation_external_id : null,
        amount: formatDecimal(input.amount, input.currency),
        currency: input.currency,
        paid_on: paidOn,
        method: input.provider,
        reference: link!.public_id,
      },
    });
    outcomes.push({ outcome: 'applied', reason: null, linkId: Number(link!.id), linkPublicId: link!.public_id, paymentExternalId: externalId, alertId: null });
  }

  if (toSave.length > 0) {
    // The portfolio's write path opens its own (here: nested) transaction; it must run on this one.
    const database: Database = { ...ctx.database, db: tx };
    await saveRecords({ ...ctx, database }, { entity: 'payments', rows: toSave.map((s) => s.row) });
    for (const s of toSave) {
      const externalId = s.row.external_id!;
      await tx.execute(sql`
        WITH p AS (SELECT id FROM payments WHERE company_id = ${ctx.companyId} AND external_id = ${externalId})
        UPDATE payment_links SET payment_id = (SELECT id FROM p) WHERE id = ${s.link.id}::bigint`);
      await tx.execute(sql`
        UPDATE provider_payments SET status = 'applied',
          payment_id = (SELECT id FROM payments WHERE company_id = ${ctx.companyId} AND external_id = ${externalId})
        WHERE id = ${s.providerPaymentRowId}::bigint`);
      await recordAudit(
        ctx,
        {
          action: 'payment_link.paid',
          entity: 'payment_link',
          entityId: s.link.id,
          before: { status: 'open' },
          after: { status: 'paid', provider: s.input.provider, providerPaymentId: s.input.providerPaymentId, amount: s.input.amount, currency: s.input.currency, payment: externalId },
        },
        tx,
      );
    }
  }
  return outcomes;
}

async function findLink(ctx: Ctx, tx: Db, input: ProviderPaymentInput): Promise<LinkLock | null> {
  const select = sql`SELECT l.id::text AS id, l.public_id, l.debtor_id::text AS debtor_id, d.external_id AS debtor_external_id, l.target_kind,
      o.external_id AS obligation_external_id, l.amount::text AS amount, l.currency::text AS currency, l.status
    FROM payment_links l JOIN debtors d ON d.id = l.debtor_id
    LEFT JOIN obligations o ON l.target_kind = 'obligation' AND o.id = l.target_id AND o.company_id = l.company_id
    WHERE l.company_id = ${ctx.companyId}`;
  if (input.linkPublicId) {
    const [link] = await rowsOf<LinkLock>(tx, sql`${select} AND l.public_id = ${input.linkPublicId} AND l.provider = ${input.provider} FOR UPDATE OF l`);
    return link ?? null;
  }
  const reference = input.reference?.trim();
  if (!reference) return null;
  // An open link first: a reference (or a shared CLABE) may have older, closed links.
  const [link] = await rowsOf<LinkLock>(
    tx,
    sql`${select} AND l.provider = ${input.provider} AND (l.provider_reference = ${reference} OR l.clabe = ${reference})
        ORDER BY (l.status IN ('open', 'pending')) DESC, (l.provider_reference = ${reference}) DESC, l.id DESC LIMIT 1 FOR UPDATE OF l`,
  );
  return link ?? null;
}

function refusal(link: LinkLock | null, input: ProviderPaymentInput): AlertKind | null {
  if (!link) return 'unknown_reference';
  if (link.status !== 'open' && link.status !== 'pending') return 'link_not_open';
  if (link.currency.trim() !== input.currency) return 'currency_mismatch';
  if (BigInt(link.amount) !== input.amount) return 'amount_mismatch';
  return null;
}

function describe(reason: AlertKind, input: ProviderPaymentInput, link: LinkLock | null): string {
  const got = `${formatDecimal(input.amount, input.currency)} ${input.currency}`;
  const source = `${input.provider} payment ${input.providerPaymentId}`;
  switch (reason) {
    case 'unknown_reference':
      return `${source} of ${got} names no payment link (reference ${input.reference ?? input.linkPublicId ?? 'none'})`;
    case 'link_not_open':
      return `${source} of ${got} is for link ${link!.public_id}, which is ${link!.status}`;
    case 'currency_mismatch':
    case 'amount_mismatch':
      return `${source} is ${got}; link ${link!.public_id} asks for ${formatDecimal(BigInt(link!.amount), link!.currency.trim())} ${link!.currency.trim()}`;
  }
}

async function duplicateOutcome(ctx: Ctx, tx: Db, input: ProviderPaymentInput): Promise<ApplyOutcome> {
  const [row] = await rowsOf<{ reason: string | null; link_id: string | null; public_id: string | null; payment_external_id: string | null; alert_id: string | null }>(
    tx,
    sql`SELECT pp.reason, pp.payment_link_id::text AS link_id, l.public_id, p.external_id AS payment_external_id, a.id::text AS alert_id
        FROM provider_payments pp
        LEFT JOIN payment_links l ON l.id = pp.payment_link_id
        LEFT JOIN payments p ON p.id = pp.payment_id
        LEFT JOIN payment_alerts a ON a.provider_payment_id = pp.id
        WHERE pp.company_id = ${ctx.companyId} AND pp.provider = ${input.provider} AND pp.provider_payment_id = ${input.providerPaymentId}`,
  );
  return {
    outcome: 'duplicate',
    reason: (row?.reason as AlertKind | null) ?? null,
    linkId: row?.link_id ? Number(row.link_id) : null,
    linkPublicId: row?.public_id ?? null,
    paymentExternalId: row?.payment_external_id ?? null,
    alertId: row?.alert_id ? Number(row.alert_id) : null,
  };
}
