/**
 * Derives obligation balances, payment unapplied amounts and the allocation rows from obligations and non-reversed
 * payments. Balances are a pure function of those inputs, so this is the only writer of the derived columns and
 * reversing or deleting a payment is simply "recompute without it".
 *
 * Works in chunks of debtors (loads one chunk's obligations, payments and existing allocations, allocates per debtor in
 * memory, writes set-based with arrays) and only writes what differs from what is stored, so recomputing an
 * unchanged debtor writes nothing.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { allocatePayments, type AllocObligation, type AllocPayment } from '../../domain/allocation.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import { rows, textArray } from './import/sql.ts';

/** Debtors per chunk: large enough for set-based writes to pay off, small enough to keep memory flat. */
export const RECOMPUTE_CHUNK = 2000;

/** What a recompute changed. */
export interface RecomputeSummary {
  debtors: number;
  obligationsChanged: number;
  paymentsChanged: number;
  allocationsWritten: number;
  allocationsDeleted: number;
}

interface ObligationRow {
  id: string;
  debtor_id: string;
  currency: string;
  amount: string;
  balance: string;
  due_on: string;
  issued_on: string | null;
  external_id: string;
}

interface PaymentRow {
  id: string;
  debtor_id: string;
  obligation_id: string | null;
  currency: string;
  amount: string;
  unapplied: string;
  paid_on: string;
  external_id: string;
  reversed: boolean;
}

interface AllocationRow {
  payment_id: string;
  obligation_id: string;
  debtor_id: string;
  amount: string;
}

/**
 * Recomputes the derived money columns of `debtorIds` (or every debtor of the company) inside the caller's
 * transaction or on the database. A reversed payment applies nothing and keeps no credit (unapplied 0).
 */
export async function recomputeBalances(db: Db, companyId: number, debtorIds: ReadonlyArray<number | string> | 'all'): Promise<RecomputeSummary> {
  const summary: RecomputeSummary = { debtors: 0, obligationsChanged: 0, paymentsChanged: 0, allocationsWritten: 0, allocationsDeleted: 0 };
  if (debtorIds === 'all') {
    let after = '0';
    for (;;) {
      const chunk = await rows<{ id: string }>(db, sql`SELECT id::text AS id FROM debtors WHERE company_id = ${companyId} AND id > ${after}::bigint ORDER BY id LIMIT ${RECOMPUTE_CHUNK}`);
      if (chunk.length === 0) break;
      await recomputeChunk(db, companyId, chunk.map((r) => r.id), summary);
      after = chunk[chunk.length - 1]!.id;
    }
    return summary;
  }
  const ids = [...new Set(debtorIds.map(String))];
  for (let i = 0; i < ids.length; i += RECOMPUTE_CHUNK) await recomputeChunk(db, companyId, ids.slice(i, i + RECOMPUTE_CHUNK), summary);
  return summary;
}

function groupBy<T extends { debtor_id: string }>(items: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(item.debtor_id);
    if (list) list.push(item);
    else map.set(item.debtor_id, [item]);
  }
  return map;
}

async function recomputeChunk(db: Db, companyId: number, debtorIds: string[], summary: RecomputeSummary): Promise<void> {
  const ids = textArray(debtorIds);
  // Serialises recomputes of the same debtor across connections: a concurrent import that changed this debtor's
  // payments either committed before the lock is granted (and each statement below sees its rows) or recomputes
  // after this transaction commits. Locks are taken in id order so two chunks cannot deadlock on each other; NO KEY
  // leaves the foreign-key checks of concurrent inserts (which take KEY SHARE) unblocked.
  await db.execute(sql`SELECT id FROM debtors WHERE company_id = ${companyId} AND id = ANY(${ids}::bigint[]) ORDER BY id FOR NO KEY UPDATE`);
  const obligations = await rows<ObligationRow>(
    db,
    sql`SELECT id::text AS id, debtor_id::text AS debtor_id, currency::text AS currency, amount::text AS amount, balance::text AS balance,
               due_on::text AS due_on, issued_on::text AS issued_on, external_id
        FROM obligations WHERE company_id = ${companyId} AND debtor_id = ANY(${ids}::bigint[])`,
  );
  const payments = await rows<PaymentRow>(
    db,
    sql`SELECT id::text AS id, debtor_id::text AS debtor_id, obligation_id::text AS obligation_id, currency::text AS currency,
               amount::text AS amount, unapplied::text AS unapplied, paid_on::text AS paid_on, external_id, reversed_at IS NOT NULL AS reversed
        FROM payments WHERE company_id = ${companyId} AND debtor_id = ANY(${ids}::bigint[])`,
  );
  const existing = await rows<AllocationRow>(
    db,
    sql`SELECT payment_id::text AS payment_id, obligation_id::text AS obligation_id, debtor_id::text AS debtor_id, amount::text AS amount
        FROM payment_allocations WHERE company_id = ${companyId} AND debtor_id = ANY(${ids}::bigint[])`,
  );

  const obligationsByDebtor = groupBy(obligations);
  const paymentsByDebtor = groupBy(payments);
  const balanceIds: string[] = [];
  const balanceValues: string[] = [];
  const unappliedIds: string[] = [];
  const unappliedValues: string[] = [];
  const withCredit: string[] = [];
  // "paymentId obligationId" → every allocation that should exist
  const wanted = new Map<string, { payment: string; obligation: string; debtor: string; amount: bigint }>();

  for (const debtorId of debtorIds) {
    const obls = obligationsByDebtor.get(debtorId) ?? [];
    const pays = paymentsByDebtor.get(debtorId) ?? [];
    if (obls.length === 0 && pays.length === 0) continue;
    const allocObligations: AllocObligation[] = obls.map((o) => ({
      id: o.id,
      currency: o.currency,
      amount: BigInt(o.amount),
      dueOn: o.due_on as PlainDate,
      issuedOn: o.issued_on as PlainDate | null,
      externalId: o.external_id,
    }));
    const allocPayments: AllocPayment[] = pays
      .filter((p) => !p.reversed)
      .map((p) => ({ id: p.id, currency: p.currency, amount: BigInt(p.amount), paidOn: p.paid_on as PlainDate, obligationId: p.obligation_id, externalId: p.external_id }));
    const result = allocatePayments(allocObligations, allocPayments);
    for (const o of obls) {
      const balance = result.balances.get(o.id) ?? BigInt(o.amount);
      if (balance !== BigInt(o.balance)) {
        balanceIds.push(o.id);
        balanceValues.push(balance.toString());
      }
    }
    let credit = false;
    for (const p of pays) {
      const unapplied = p.reversed ? 0n : (result.unapplied.get(p.id) ?? BigInt(p.amount));
      if (unapplied > 0n) credit = true;
      if (unapplied !== BigInt(p.unapplied)) {
        unappliedIds.push(p.id);
        unappliedValues.push(unapplied.toString());
      }
    }
    if (credit) withCredit.push(debtorId);
    for (const a of result.allocations) {
      const key = `${a.paymentId} ${a.obligationId}`;
      const prior = wanted.get(key);
      if (prior) prior.amount += a.amount;
      else wanted.set(key, { payment: a.paymentId, obligation: a.obligationId, debtor: debtorId, amount: a.amount });
    }
  }

  const deletePayments: string[] = [];
  const deleteObligations: string[] = [];
  const have = new Map<string, string>();
  for (const a of existing) {
    const key = `${a.payment_id} ${a.obligation_id}`;
    have.set(key, `${a.amount} ${a.debtor_id}`);
    if (!wanted.has(key)) {
      deletePayments.push(a.payment_id);
      deleteObligations.push(a.obligation_id);
    }
  }
  const write = { payment: [] as string[], obligation: [] as string[], debtor: [] as string[], amount: [] as string[] };
  for (const [key, a] of wanted) {
    if (have.get(key) === `${a.amount} ${a.debtor}`) continue;
    write.payment.push(a.payment);
    write.obligation.push(a.obligation);
    write.debtor.push(a.debtor);
    write.amount.push(a.amount.toString());
  }

  if (deletePayments.length > 0) {
    await db.execute(sql`
      DELETE FROM payment_allocations a USING unnest(${textArray(deletePayments)}, ${textArray(deleteObligations)}) AS v(payment_id, obligation_id)
      WHERE a.company_id = ${companyId} AND a.payment_id = v.payment_id::bigint AND a.obligation_id = v.obligation_id::bigint`);
  }
  if (write.payment.length > 0) {
    await db.execute(sql`
      INSERT INTO payment_allocations (company_id, payment_id, obligation_id, debtor_id, amount)
      SELECT ${companyId}, v.payment_id::bigint, v.obligation_id::bigint, v.debtor_id::bigint, v.amount::bigint
      FROM unnest(${textArray(write.payment)}, ${textArray(write.obligation)}, ${textArray(write.debtor)}, ${textArray(write.amount)}) AS v(payment_id, obligation_id, debtor_id, amount)
      ON CONFLICT (payment_id, obligation_id) DO UPDATE SET amount = excluded.amount, debtor_id = excluded.debtor_id`);
  }
  if (balanceIds.length > 0) {
    await db.execute(sql`
      UPDATE obligations o SET balance = v.balance::bigint
      FROM unnest(${textArray(balanceIds)}, ${textArray(balanceValues)}) AS v(id, balance)
      WHERE o.company_id = ${companyId} AND o.id = v.id::bigint`);
  }
  if (unappliedIds.length > 0) {
    await db.execute(sql`
      UPDATE payments p SET unapplied = v.unapplied::bigint
      FROM unnest(${textArray(unappliedIds)}, ${textArray(unappliedValues)}) AS v(id, unapplied)
      WHERE p.company_id = ${companyId} AND p.id = v.id::bigint`);
  }
  // The debtors' current assignments say whether they have credit (see assignments.has_credit). Cleared for every
  // debtor of the chunk without credit now, not only those whose credit changed here (a deleted payment's credit is
  // gone from the rows read), through the small index of flagged assignments; set for the few with credit.
  await db.execute(sql`
    UPDATE assignments SET has_credit = false
     WHERE company_id = ${companyId} AND valid_to IS NULL AND has_credit
       AND debtor_id = ANY(${ids}::bigint[]) AND NOT debtor_id = ANY(${textArray(withCredit)}::bigint[])`);
  if (withCredit.length > 0) {
    await db.execute(sql`
      UPDATE assignments SET has_credit = true
       WHERE company_id = ${companyId} AND valid_to IS NULL AND NOT has_credit AND debtor_id = ANY(${textArray(withCredit)}::bigint[])`);
  }
  summary.debtors += debtorIds.length;
  summary.obligationsChanged += balanceIds.length;
  summary.paymentsChanged += unappliedIds.length;
  summary.allocationsWritten += write.payment.length;
  summary.allocationsDeleted += deletePayments.length;
}
