/**
 * Read models of the portfolio, shaped like the import columns (snake_case, money as decimal strings beside their
 * currency) so what the API returns can be sent back in a PATCH or re-imported unchanged.
 */
import type { accounts, debtors, obligations } from '../../../db/schema.ts';
import { decimalsByCurrency, formatDecimal } from '../../../domain/money.ts';

/** A debtor as stored. */
export interface DebtorView {
  external_id: string;
  name: string;
  type: string;
  tax_id: string | null;
  email: string | null;
  phone: string | null;
  whatsapp: string | null;
  country: string;
  region: string | null;
  city: string | null;
  postal_code: string | null;
  time_zone: string;
  tags: string[];
  attributes: Record<string, string>;
  created_at: string;
  updated_at: string;
}

/** Where the daily run last left a debtor within one portfolio. */
export interface DebtorAccountView {
  portfolio: string;
  phase: string;
  phase_since: string;
  phase_source: string;
  days_past_due: number | null;
  bucket: string | null;
  balances: Record<string, string>;
  overdue: Record<string, string>;
  segments: string[];
  on_hold: boolean;
  as_of: string;
}

/** An obligation as stored; `balance` is what is still owed after allocations. */
export interface ObligationView {
  external_id: string;
  debtor_external_id: string;
  portfolio: string;
  kind: string;
  product: string | null;
  currency: string;
  amount: string;
  balance: string;
  issued_on: string | null;
  due_on: string;
  created_at: string;
  updated_at: string;
}

/** A payment as stored; `unapplied` is the part left as credit on the debtor. */
export interface PaymentView {
  external_id: string;
  debtor_external_id: string;
  obligation_external_id: string | null;
  currency: string;
  amount: string;
  unapplied: string;
  paid_on: string;
  method: string | null;
  reference: string | null;
  reversed: boolean;
  reversed_at: string | null;
  reversal_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** Timestamps arrive as Date from Drizzle and as strings from raw SQL on some drivers; both become ISO instants. */
export function isoInstant(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function debtorView(r: typeof debtors.$inferSelect): DebtorView {
  return {
    external_id: r.externalId,
    name: r.name,
    type: r.type,
    tax_id: r.taxId,
    email: r.email,
    phone: r.phone,
    whatsapp: r.whatsapp,
    country: r.country,
    region: r.region,
    city: r.city,
    postal_code: r.postalCode,
    time_zone: r.timeZone,
    tags: r.tags,
    attributes: r.attributes,
    created_at: isoInstant(r.createdAt)!,
    updated_at: isoInstant(r.updatedAt)!,
  };
}

export function obligationView(r: typeof obligations.$inferSelect, names: { debtor: string; portfolio: string }): ObligationView {
  // char(3) pads two-letter units such as UF with a space.
  const currency = r.currency.trim();
  return {
    external_id: r.externalId,
    debtor_external_id: names.debtor,
    portfolio: names.portfolio,
    kind: r.kind,
    product: r.product,
    currency,
    amount: formatDecimal(r.amount, currency),
    balance: formatDecimal(r.balance, currency),
    issued_on: r.issuedOn,
    due_on: r.dueOn,
    created_at: isoInstant(r.createdAt)!,
    updated_at: isoInstant(r.updatedAt)!,
  };
}

/** An accounts row, in the portfolio named, as the daily run left it. */
export function debtorAccountView(a: typeof accounts.$inferSelect, portfolio: string): DebtorAccountView {
  return {
    portfolio,
    phase: a.phase,
    phase_since: a.phaseSince,
    phase_source: a.phaseSource,
    days_past_due: a.daysPastDue,
    bucket: a.bucket,
    balances: minorJsonToDecimals(a.balances),
    overdue: minorJsonToDecimals(a.overdue),
    segments: a.segments,
    on_hold: a.onHold,
    as_of: a.asOf,
  };
}

/**
 * Per-currency totals of minor units (as SQL returns them: text or number) into decimal strings; zero totals are
 * dropped so `{}` means "nothing".
 */
export function perCurrency(rows: ReadonlyArray<{ currency: string; amount: string | number | bigint }>): Record<string, string> {
  const totals = new Map<string, bigint>();
  for (const r of rows) {
    const v = BigInt(r.amount);
    if (v !== 0n) totals.set(r.currency.trim(), v);
  }
  return decimalsByCurrency(totals);
}

/** A jsonb map of minor units per currency (as the daily run stores them) into decimal strings. */
export function minorJsonToDecimals(json: Record<string, string | number> | null | undefined): Record<string, string> {
  return decimalsByCurrency(Object.fromEntries(Object.entries(json ?? {}).map(([cur, v]) => [cur.trim(), BigInt(v)])));
}
