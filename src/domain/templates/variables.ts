/**
 * The closed catalogue of template variables, the shape callers pass values in, and how each value becomes text.
 *
 * - Text values: line breaks and tabs become a space, other control characters (C0, C1, bidirectional overrides,
 *   zero-width spaces, byte-order marks) are removed, runs of spaces collapse to one, and the result is trimmed.
 *   A value that is empty after that counts as missing.
 * - Money: `{ amount: bigint, currency }`, a list of those, a per-currency map (`Map` or plain object of minor units),
 *   or a bare bigint in the render's `currency`. Each currency is formatted with `Intl.NumberFormat(locale,
 *   { style: 'currency', currency })` from the exact decimal string of money.ts, never through a float. Intl rounds
 *   some currencies to whole units by default (COP, and CLP/COP outside their home locale); we never round: the
 *   currency's ISO decimals are shown whenever the amount has a fraction, otherwise the locale's usual digits. UF is
 *   formatted as its ISO code CLF. Several currencies are joined as a list in the locale ("$1,250.50 y USD 19.99"),
 *   the render's `currency` first, then by code; zero amounts are left out unless every amount is zero.
 * - Dates: a PlainDate, as a long date ("15 de marzo de 2026", "March 15, 2026") in the template's language (with
 *   the render locale's regional form when it is the same language).
 * - Links: absolute https URLs without credentials; anything else is refused, so a value can never become a
 *   `javascript:` link.
 */
import { isPlainDate } from '../calendar.ts';
import { exponentOf, formatDecimal, isKnownCurrency, totalsByCurrency, type Currency, type Money } from '../money.ts';
import type { TemplateLanguage } from './types.ts';

export const VARIABLE_NAMES = [
  'debtor.name',
  'debtor.first_name',
  'creditor.name',
  'creditor.legal_id',
  'creditor.phone',
  'agency.name',
  'agency.identification',
  'amount.total',
  'amount.overdue',
  'amount.minimum',
  'due_date',
  'days_past_due',
  'payment_link',
  'portal_link',
  'contract',
  'payment.amount',
  'payment.date',
  'resolution',
  'optout_instructions',
] as const;
export type VariableName = (typeof VARIABLE_NAMES)[number];

export type VariableKind = 'text' | 'money' | 'date' | 'count' | 'link';

export interface VariableDefinition {
  readonly name: VariableName;
  readonly kind: VariableKind;
  readonly description: Readonly<Record<TemplateLanguage, string>>;
}

const d = (name: VariableName, kind: VariableKind, es: string, en: string): VariableDefinition =>
  Object.freeze({ name, kind, description: Object.freeze({ 'es-MX': es, en }) });

const CATALOGUE: readonly VariableDefinition[] = Object.freeze([
  d('debtor.name', 'text', 'Nombre completo del deudor.', "The debtor's full name."),
  d('debtor.first_name', 'text', 'Nombre de pila del deudor, para el saludo.', "The debtor's first name, for the greeting."),
  d('creditor.name', 'text', 'Nombre o razón social del acreedor (a quien se le debe).', 'Name of the creditor (the party the debt is owed to).'),
  d('creditor.legal_id', 'text', 'Identificación fiscal del acreedor (RFC, RUT, NIT, RUC…).', "The creditor's tax id (RFC, RUT, NIT, RUC…)."),
  d('creditor.phone', 'text', 'Teléfono de atención del acreedor.', "The creditor's customer service phone number."),
  d('agency.name', 'text', 'Nombre de la agencia o despacho de cobranza que contacta en nombre del acreedor, si la hay.', 'Name of the collection agency contacting on behalf of the creditor, when there is one.'),
  d('agency.identification', 'text', 'Identificación de la agencia (p. ej. registro ante CONDUSEF o identificación fiscal).', "The agency's identification (e.g. its CONDUSEF registration or tax id)."),
  d('amount.total', 'money', 'Saldo total adeudado, por moneda, con el formato del idioma y país (en un recordatorio de promesa: el monto prometido).', 'Total balance owed, per currency, formatted for the locale (in a promise reminder: the promised amount).'),
  d('amount.overdue', 'money', 'Monto vencido, por moneda.', 'Amount past due, per currency.'),
  d('amount.minimum', 'money', 'Pago mínimo para ponerse al corriente, por moneda.', 'Minimum payment to bring the account up to date, per currency.'),
  d('due_date', 'date', 'Fecha de vencimiento en formato largo, p. ej. "15 de marzo de 2026" (en un recordatorio de promesa: la fecha comprometida).', 'Due date as a long date, e.g. "March 15, 2026" (in a promise reminder: the promised date).'),
  d('days_past_due', 'count', 'Días de atraso desde la fecha de vencimiento.', 'Days past the due date.'),
  d('payment_link', 'link', 'Enlace https para pagar en línea.', 'https link to pay online.'),
  d('portal_link', 'link', 'Enlace https al portal de autoservicio (consultar saldo, proponer un plan de pago).', 'https link to the self-service portal (see the balance, propose a payment plan).'),
  d('contract', 'text', 'Identificador de la obligación: número de contrato, crédito o producto.', "The obligation's identifier: contract, loan or product number."),
  d('payment.amount', 'money', 'En el agradecimiento por un pago: el monto del pago recibido.', 'In a payment thank-you: the amount of the payment received.'),
  d('payment.date', 'date', 'En el agradecimiento por un pago: la fecha del pago recibido.', 'In a payment thank-you: the date of the payment received.'),
  d('resolution', 'text', 'En la respuesta a una aclaración (disputa): la explicación de lo que se resolvió.', 'In the answer to a dispute: the explanation of what was decided.'),
  d('optout_instructions', 'text', 'Cómo dejar de recibir mensajes por este medio (p. ej. "Responda BAJA para no recibir más SMS").', 'How to stop messages on this channel (e.g. "Reply STOP to opt out of texts").'),
]);

const BY_NAME: ReadonlyMap<string, VariableDefinition> = new Map(CATALOGUE.map((v) => [v.name, v]));

/** The catalogue, in a stable order, for documentation and editors. */
export function describeVariables(): readonly VariableDefinition[] {
  return CATALOGUE;
}

export function isVariableName(name: string): name is VariableName {
  return BY_NAME.has(name);
}

export function variableDefinition(name: VariableName): VariableDefinition {
  return BY_NAME.get(name)!;
}

/** Money as callers pass it in. A bare bigint is in the render's `currency`. */
export type MoneyValue =
  | Money
  | readonly Money[]
  | ReadonlyMap<Currency, bigint>
  | Readonly<Record<Currency, bigint>>
  | bigint;

type Opt<T> = T | null | undefined;

/** Values for one render. Absent, null and empty (after cleaning) all count as missing. */
export interface TemplateVariables {
  readonly debtor?: Opt<{ readonly name?: Opt<string>; readonly first_name?: Opt<string> }>;
  readonly creditor?: Opt<{ readonly name?: Opt<string>; readonly legal_id?: Opt<string>; readonly phone?: Opt<string> }>;
  readonly agency?: Opt<{ readonly name?: Opt<string>; readonly identification?: Opt<string> }>;
  readonly amount?: Opt<{ readonly total?: Opt<MoneyValue>; readonly overdue?: Opt<MoneyValue>; readonly minimum?: Opt<MoneyValue> }>;
  /** ISO date, YYYY-MM-DD. */
  readonly due_date?: Opt<string>;
  readonly days_past_due?: Opt<number>;
  readonly payment_link?: Opt<string>;
  readonly portal_link?: Opt<string>;
  readonly contract?: Opt<string>;
  /** The payment a thank-you message is about (the event that caused it); `date` is an ISO date. */
  readonly payment?: Opt<{ readonly amount?: Opt<MoneyValue>; readonly date?: Opt<string> }>;
  /** The explanation of a resolved dispute, in the answer that tells the debtor. */
  readonly resolution?: Opt<string>;
  readonly optout_instructions?: Opt<string>;
}

/** The raw value of one variable; explicit property reads only, so no template can reach other properties. */
export function rawValue(vars: TemplateVariables, name: VariableName): unknown {
  switch (name) {
    case 'debtor.name': return vars.debtor?.name;
    case 'debtor.first_name': return vars.debtor?.first_name;
    case 'creditor.name': return vars.creditor?.name;
    case 'creditor.legal_id': return vars.creditor?.legal_id;
    case 'creditor.phone': return vars.creditor?.phone;
    case 'agency.name': return vars.agency?.name;
    case 'agency.identification': return vars.agency?.identification;
    case 'amount.total': return vars.amount?.total;
    case 'amount.overdue': return vars.amount?.overdue;
    case 'amount.minimum': return vars.amount?.minimum;
    case 'due_date': return vars.due_date;
    case 'days_past_due': return vars.days_past_due;
    case 'payment_link': return vars.payment_link;
    case 'portal_link': return vars.portal_link;
    case 'contract': return vars.contract;
    case 'payment.amount': return vars.payment?.amount;
    case 'payment.date': return vars.payment?.date;
    case 'resolution': return vars.resolution;
    case 'optout_instructions': return vars.optout_instructions;
  }
}

// Line breaks, tabs and the Unicode line/paragraph separators → one space.
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
// C0/C1 controls, zero-width space, LRM/RLM, bidi embeddings/overrides/isolates, word joiner, BOM.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

/** Cleans a text value for any channel: single line, no control characters, no lone surrogates, trimmed. */
export function cleanText(value: string): string {
  return value.toWellFormed().replace(BREAKS, ' ').replace(CONTROLS, '').replace(/ {2,}/g, ' ').trim();
}

export interface FormatContext {
  /** BCP 47 locale for numbers and money. */
  readonly locale: string;
  /** The template's language: dates are written in it. */
  readonly language: TemplateLanguage;
  /** Currency of bare bigint amounts, and listed first among several. */
  readonly currency?: Currency | undefined;
}

export type Formatted = { ok: true; text: string } | { ok: false; missing: true } | { ok: false; missing: false; reason: string };

const MISSING: Formatted = Object.freeze({ ok: false, missing: true });
const invalid = (reason: string): Formatted => ({ ok: false, missing: false, reason });

/** Turns one variable's value into text (not yet escaped for HTML), or says it is missing or invalid. */
export function formatVariable(name: VariableName, vars: TemplateVariables, ctx: FormatContext): Formatted {
  const value = rawValue(vars, name);
  if (value === undefined || value === null) return MISSING;
  switch (variableDefinition(name).kind) {
    case 'text': {
      if (typeof value !== 'string') return invalid(`expected text, got ${typeof value}`);
      const text = cleanText(value);
      return text === '' ? MISSING : { ok: true, text };
    }
    case 'link':
      return formatLink(value);
    case 'date':
      return formatDate(value, ctx);
    case 'count':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return invalid('expected a whole number of days');
      return { ok: true, text: cachedFormat(ctx.locale, 'count', () => new Intl.NumberFormat(ctx.locale, { maximumFractionDigits: 0 })).format(value) };
    case 'money':
      return formatMoneyValue(value, ctx);
  }
}

function formatLink(value: unknown): Formatted {
  if (typeof value !== 'string') return invalid(`expected a URL, got ${typeof value}`);
  const text = value.trim();
  if (text === '') return MISSING;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001F\u007F-\u009F]/.test(text) || !URL.canParse(text)) return invalid('not a valid absolute URL');
  const url = new URL(text);
  if (url.protocol !== 'https:') return invalid('links must use https');
  if (url.username !== '' || url.password !== '') return invalid('links must not carry credentials');
  return { ok: true, text };
}

const MONTHS: Readonly<Record<'es' | 'en', readonly string[]>> = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

function languageOf(locale: string): string {
  return locale.split('-')[0]!.toLowerCase();
}

function formatDate(value: unknown, ctx: FormatContext): Formatted {
  if (typeof value !== 'string' || !isPlainDate(value)) return invalid('expected a date as YYYY-MM-DD');
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  // Same language as the template: let Intl give the regional long form (the instant is a UTC midnight, no clock).
  if (languageOf(ctx.locale) === languageOf(ctx.language)) {
    const fmt = cachedFormat(ctx.locale, 'date', () => new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeZone: 'UTC' }));
    return { ok: true, text: fmt.format(new Date(Date.UTC(y, m - 1, day))) };
  }
  const text = ctx.language === 'en' ? `${MONTHS.en[m - 1]} ${day}, ${y}` : `${day} de ${MONTHS.es[m - 1]} de ${y}`;
  return { ok: true, text };
}

/** Normalises any accepted money shape into per-currency totals; null when the shape is not money. */
function moneyEntries(value: unknown, ctx: FormatContext): Map<Currency, bigint> | string {
  if (typeof value === 'bigint') {
    if (ctx.currency === undefined) return 'a bare amount needs the render option `currency`';
    return new Map([[ctx.currency, value]]);
  }
  if (Array.isArray(value)) {
    if (!value.every(isMoney)) return 'expected a list of { amount: bigint, currency }';
    return totalsByCurrency(value);
  }
  if (value instanceof Map) {
    for (const [k, v] of value) if (typeof k !== 'string' || typeof v !== 'bigint') return 'expected a map of currency → bigint';
    return new Map(value as Map<string, bigint>);
  }
  if (isMoney(value)) return new Map([[value.currency, value.amount]]);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out = new Map<Currency, bigint>();
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'bigint') return 'expected { amount: bigint, currency } or a map of currency → bigint';
      out.set(k, v);
    }
    return out;
  }
  return 'expected { amount: bigint, currency } or a map of currency → bigint';
}

function isMoney(v: unknown): v is Money {
  return typeof v === 'object' && v !== null && typeof (v as Money).amount === 'bigint' && typeof (v as Money).currency === 'string';
}

function formatMoneyValue(value: unknown, ctx: FormatContext): Formatted {
  const entries = moneyEntries(value, ctx);
  if (typeof entries === 'string') return invalid(entries);
  if (entries.size === 0) return MISSING;
  for (const code of entries.keys()) if (!isKnownCurrency(code)) return invalid(`unknown currency "${code}"`);
  const codes = [...entries.keys()].sort((a, b) => (a === ctx.currency ? -1 : b === ctx.currency ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const nonZero = codes.filter((c) => entries.get(c) !== 0n);
  const shown = nonZero.length > 0 ? nonZero : codes.slice(0, 1);
  const parts = shown.map((c) => formatMoney(entries.get(c)!, c, ctx.locale));
  const text = parts.length === 1 ? parts[0]! : cachedFormat(ctx.locale, 'list', () => new Intl.ListFormat(ctx.locale, { type: 'conjunction' })).format(parts);
  return { ok: true, text };
}

/** One amount in one currency, formatted for `locale` from its exact decimal string. */
export function formatMoney(amount: bigint, currency: Currency, locale: string): string {
  const exp = exponentOf(currency);
  const decimal = formatDecimal(amount, currency) as `${number}`;
  const intlCurrency = currency === 'UF' ? 'CLF' : currency;
  const usual = cachedFormat(locale, `cur:${intlCurrency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency: intlCurrency }));
  const usualMin = Math.min(usual.resolvedOptions().minimumFractionDigits ?? exp, exp);
  const hasFraction = exp > 0 && !/\.0+$/.test(decimal);
  const min = hasFraction ? exp : usualMin;
  const fmt = cachedFormat(locale, `cur:${intlCurrency}:${min}:${exp}`, () =>
    new Intl.NumberFormat(locale, { style: 'currency', currency: intlCurrency, minimumFractionDigits: min, maximumFractionDigits: exp }),
  );
  return fmt.format(decimal);
}

// Intl objects are costly to build and immutable: keep them per locale and purpose (a memo, not state).
const FORMATS = new Map<string, unknown>();
function cachedFormat<T>(locale: string, purpose: string, make: () => T): T {
  const key = `${locale}\u0000${purpose}`;
  let f = FORMATS.get(key) as T | undefined;
  if (f === undefined) {
    if (FORMATS.size > 500) FORMATS.clear();
    f = make();
    FORMATS.set(key, f);
  }
  return f;
}
