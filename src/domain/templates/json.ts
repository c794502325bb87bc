/**
 * Template variables as JSON (the outbox stores the facts a message renders from). JSON has no bigint, so amounts
 * travel as decimal strings per currency, the project's edge format (money.ts): `{ "MXN": "1250.50" }`.
 */
import { decimalsByCurrency, parseDecimal, totalsByCurrency, type Money } from '../money.ts';
import type { MoneyValue, TemplateVariables } from './variables.ts';

export type JsonMoney = Record<string, string>;

export interface TemplateVariablesJson {
  debtor?: { name?: string; first_name?: string };
  creditor?: { name?: string; legal_id?: string; phone?: string };
  agency?: { name?: string; identification?: string };
  amount?: { total?: JsonMoney; overdue?: JsonMoney; minimum?: JsonMoney };
  due_date?: string;
  days_past_due?: number;
  payment_link?: string;
  portal_link?: string;
  contract?: string;
  /** The payment a thank-you is about: its amount (one currency) and ISO date. */
  payment?: { amount?: JsonMoney; date?: string };
  /** The explanation of a resolved dispute. */
  resolution?: string;
  optout_instructions?: string;
}

export class TemplateVariablesError extends Error {
  override name = 'TemplateVariablesError';
}

const TEXT_GROUPS = { debtor: ['name', 'first_name'], creditor: ['name', 'legal_id', 'phone'], agency: ['name', 'identification'] } as const;
const TOP_TEXT = ['due_date', 'payment_link', 'portal_link', 'contract', 'resolution', 'optout_instructions'] as const;
const AMOUNTS = ['total', 'overdue', 'minimum'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toMoneyMap(value: MoneyValue): Map<string, bigint> {
  if (typeof value === 'bigint') throw new TemplateVariablesError('a bare amount has no currency; give { amount, currency } or a per-currency map');
  if (Array.isArray(value)) return totalsByCurrency(value as readonly Money[]);
  if (value instanceof Map) return new Map(value);
  const v = value as Money | Record<string, bigint>;
  if (typeof v.amount === 'bigint' && typeof v.currency === 'string') return new Map([[v.currency, v.amount]]);
  return new Map(Object.entries(v as Record<string, bigint>));
}

/** Variables → JSON-safe object (amounts as decimal strings per currency). */
export function templateVariablesToJson(vars: TemplateVariables): TemplateVariablesJson {
  const out: Record<string, unknown> = {};
  for (const [group, keys] of Object.entries(TEXT_GROUPS)) {
    const src = vars[group as keyof typeof TEXT_GROUPS] as Record<string, unknown> | null | undefined;
    if (!src) continue;
    const g: Record<string, string> = {};
    for (const k of keys) if (typeof src[k] === 'string') g[k] = src[k];
    out[group] = g;
  }
  for (const k of TOP_TEXT) if (typeof vars[k] === 'string') out[k] = vars[k];
  if (typeof vars.days_past_due === 'number') out.days_past_due = vars.days_past_due;
  if (vars.amount) {
    const a: Record<string, JsonMoney> = {};
    for (const k of AMOUNTS) {
      const v = vars.amount[k];
      if (v !== undefined && v !== null) a[k] = decimalsByCurrency(toMoneyMap(v));
    }
    out.amount = a;
  }
  if (vars.payment) {
    const p: { amount?: JsonMoney; date?: string } = {};
    if (vars.payment.amount !== undefined && vars.payment.amount !== null) p.amount = decimalsByCurrency(toMoneyMap(vars.payment.amount));
    if (typeof vars.payment.date === 'string') p.date = vars.payment.date;
    out.payment = p;
  }
  return out as TemplateVariablesJson;
}

/** JSON (e.g. from the outbox) → variables; refuses wrong types and amounts that are not exact in their currency. */
export function templateVariablesFromJson(json: unknown): TemplateVariables {
  if (!isRecord(json)) throw new TemplateVariablesError('template variables must be an object');
  const out: Record<string, unknown> = {};
  const text = (v: unknown, path: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new TemplateVariablesError(`${path} must be text`);
    return v;
  };
  for (const [group, keys] of Object.entries(TEXT_GROUPS)) {
    const src = json[group];
    if (src === undefined || src === null) continue;
    if (!isRecord(src)) throw new TemplateVariablesError(`${group} must be an object`);
    const g: Record<string, string> = {};
    for (const k of keys) {
      const v = text(src[k], `${group}.${k}`);
      if (v !== undefined) g[k] = v;
    }
    out[group] = g;
  }
  for (const k of TOP_TEXT) {
    const v = text(json[k], k);
    if (v !== undefined) out[k] = v;
  }
  const dpd = json.days_past_due;
  if (dpd !== undefined && dpd !== null) {
    if (typeof dpd !== 'number' || !Number.isSafeInteger(dpd)) throw new TemplateVariablesError('days_past_due must be a whole number');
    out.days_past_due = dpd;
  }
  const amount = json.amount;
  if (amount !== undefined && amount !== null) {
    if (!isRecord(amount)) throw new TemplateVariablesError('amount must be an object');
    const a: Record<string, Map<string, bigint>> = {};
    for (const k of AMOUNTS) {
      const v = amount[k];
      if (v === undefined || v === null) continue;
      a[k] = moneyFromJson(v, `amount.${k}`);
    }
    out.amount = a;
  }
  const payment = json.payment;
  if (payment !== undefined && payment !== null) {
    if (!isRecord(payment)) throw new TemplateVariablesError('payment must be an object');
    const p: Record<string, unknown> = {};
    if (payment.amount !== undefined && payment.amount !== null) p.amount = moneyFromJson(payment.amount, 'payment.amount');
    const date = text(payment.date, 'payment.date');
    if (date !== undefined) p.date = date;
    out.payment = p;
  }
  return out as TemplateVariables;
}

function moneyFromJson(v: unknown, path: string): Map<string, bigint> {
  if (!isRecord(v)) throw new TemplateVariablesError(`${path} must map currency codes to decimal strings`);
  const m = new Map<string, bigint>();
  for (const [currency, decimal] of Object.entries(v)) {
    if (typeof decimal !== 'string') throw new TemplateVariablesError(`${path}.${currency} must be a decimal string`);
    try {
      m.set(currency, parseDecimal(decimal, currency, { allowNegative: true }));
    } catch (e) {
      throw new TemplateVariablesError(`${path}.${currency}: ${(e as Error).message}`);
    }
  }
  return m;
}
