/**
 * The portfolio's three record kinds as they arrive from outside (a CSV/XLSX row or an API body): canonical column
 * names with their Spanish aliases, and per-row validation that turns raw text into typed records.
 *
 * Validation never throws and never touches the database: it returns either a record or every problem of the row as
 * `{ column, reason }`, so an import can report all bad rows at once. Checks that need the database (unknown debtor,
 * duplicate ids across the file) live in the import's SQL phase.
 *
 * Free text (names, regions, cities, tags, custom attribute values, products, references…) is stored in composed
 * Unicode (NFC): a name exported as "Jose" + combining acute (NFD, as some Mac tools write it) is kept as "José", so it
 * displays, sorts and is searched like one typed here. Identifiers (external ids) are kept byte for byte: they are
 * the source system's keys, matched exactly on the next import and in look-ups.
 */
import { parseDate, isValidTimeZone, CalendarError, type DateFormat, type PlainDate } from '../../domain/calendar.ts';
import { formatDecimal, MAX_RECORD_MINOR, MoneyError, parseCurrency, parseDecimal } from '../../domain/money.ts';
import { COUNTRIES, isCountryCode, postalCodeProblem, regionsOf, resolveRegion, timeZoneFor } from '../../domain/geography.ts';
import { normalizePhone } from '../../domain/phone.ts';
import { tagKey } from '../../domain/tags.ts';
import { validateTaxId, type TaxIdKind } from '../../domain/tax-id.ts';
import { compose, say, t, type Message, type Text } from '../../domain/text.ts';

/** What an import or a save writes. */
export const ENTITIES = ['debtors', 'obligations', 'payments'] as const;
export type Entity = (typeof ENTITIES)[number];

/** One input column: its canonical (API) name, the header spellings accepted in files, and whether it is required. */
export interface ColumnSpec {
  name: string;
  /** Accepted header spellings, already in {@link normalizeHeader} form. */
  aliases: readonly string[];
  required: boolean;
}

const col = (name: string, required: boolean, ...aliases: string[]): ColumnSpec => ({ name, required, aliases });

/**
 * Columns per entity. Aliases are written normalised: lower case, no accents, words joined by "_" and the Spanish
 * connectors "de"/"del" dropped, so "Fecha de Vencimiento", "fecha_vencimiento" and "FECHA-VENCIMIENTO" all match.
 */
export const COLUMNS: Readonly<Record<Entity, readonly ColumnSpec[]>> = {
  debtors: [
    col('external_id', true, 'id_cliente', 'cliente_id', 'codigo_cliente', 'id_externo', 'numero_cliente'),
    col('name', true, 'nombre', 'nombre_completo', 'razon_social', 'nombre_o_razon_social', 'cliente'),
    col('type', false, 'tipo', 'tipo_persona', 'tipo_cliente'),
    col('tax_id', false, 'rfc', 'rut', 'nit', 'ruc', 'cuit', 'cuil', 'id_fiscal', 'identificacion_fiscal', 'numero_fiscal'),
    col('email', false, 'correo', 'correo_electronico', 'e_mail', 'mail'),
    col('phone', false, 'telefono', 'tel', 'celular', 'movil', 'telefono_movil'),
    col('whatsapp', false, 'whats_app', 'telefono_whatsapp'),
    col('country', false, 'pais'),
    col('region', false, 'estado', 'departamento', 'provincia', 'entidad_federativa'),
    col('city', false, 'ciudad', 'municipio', 'localidad'),
    col('postal_code', false, 'codigo_postal', 'cp', 'zip'),
    col('time_zone', false, 'zona_horaria', 'huso_horario', 'timezone'),
    col('tags', false, 'etiquetas'),
  ],
  obligations: [
    col('external_id', true, 'id_documento', 'documento', 'numero_documento', 'folio', 'id_obligacion'),
    col('debtor_external_id', true, 'id_cliente', 'cliente_id', 'codigo_cliente', 'numero_cliente'),
    col('kind', false, 'tipo_documento', 'tipo'),
    col('product', false, 'producto'),
    col('currency', true, 'moneda', 'divisa'),
    col('amount', true, 'monto', 'importe', 'monto_original'),
    col('issued_on', false, 'fecha_emision'),
    col('due_on', true, 'fecha_vencimiento', 'vencimiento'),
    col('portfolio', false, 'cartera'),
  ],
  payments: [
    col('external_id', true, 'id_pago', 'numero_pago', 'folio_pago'),
    col('debtor_external_id', true, 'id_cliente', 'cliente_id', 'codigo_cliente', 'numero_cliente'),
    col('obligation_external_id', false, 'id_documento', 'documento', 'numero_documento', 'folio'),
    col('amount', true, 'monto', 'importe', 'monto_pagado'),
    col('currency', true, 'moneda', 'divisa'),
    col('paid_on', true, 'fecha_pago'),
    col('method', false, 'medio_pago', 'forma_pago', 'metodo_pago'),
    col('reference', false, 'referencia'),
  ],
};

/** Normalises a header for matching: case, accents, punctuation and the connectors "de"/"del" do not matter. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .split('_')
    .filter((word) => word !== '' && word !== 'de' && word !== 'del')
    .join('_');
}

const ATTRIBUTE_KEY = /^[a-z_][a-z0-9_]*$/;

/**
 * The key a debtor's extra column is stored under in `attributes`: lower case, accents dropped, words joined by "_".
 * Segment rules address attributes as `attr.key`, so the key must be letters, digits and "_"; null when it cannot be.
 */
export function attributeKey(header: string): string | null {
  const key = header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return ATTRIBUTE_KEY.test(key) && key.length <= 63 ? key : null;
}

/** One problem with one value of a row. `column` is the canonical column name (or an attribute key). */
export interface FieldError {
  column: string;
  reason: Message;
}

/** Either the typed record or every problem found in the row. */
export type RowResult<T> = { ok: true; record: T } | { ok: false; errors: FieldError[] };

/** What validation needs to know beyond the row itself. */
export interface RecordContext {
  /** The company's country (ISO alpha-2): the default for debtors without one. */
  companyCountry: string;
  dateFormat: DateFormat;
  /**
   * What to tell the reader of a day/month/year date read as YYYY-MM-DD: how to ask for DD/MM/YYYY where these rows
   * come from ("use --date-format DD/MM/YYYY" for the CLI, the form field of an upload). Absent for rows that cannot
   * choose (a JSON body): they are told to send ISO dates.
   */
  dateFormatHint?: Text | undefined;
  /** Portfolio for obligations without a portfolio column/value. */
  defaultPortfolio: string;
  /**
   * The company's today (in its time zone), when known: a payment dated after it is refused. Money that has not
   * arrived cannot lower a balance, and today's balances would disagree with the aging of today.
   */
  today?: PlainDate | undefined;
}

/** Raw text of one row by canonical column; absent and blank cells are both "no value". */
export type RawValues = Readonly<Record<string, string | undefined>>;

export type DebtorType = 'person' | 'company';

export interface DebtorRecord {
  externalId: string;
  name: string;
  type: DebtorType;
  taxId: string | null;
  email: string | null;
  phone: string | null;
  whatsapp: string | null;
  country: string;
  region: string | null;
  city: string | null;
  postalCode: string | null;
  timeZone: string;
  tags: string[];
  /** Custom columns, keyed by {@link attributeKey}; blank cells are left out. */
  attributes: Record<string, string>;
}

export const OBLIGATION_KINDS = ['invoice', 'installment', 'statement', 'other'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

export interface ObligationRecord {
  externalId: string;
  debtorExternalId: string;
  kind: ObligationKind;
  product: string | null;
  currency: string;
  /** Minor units, ≥ 0. */
  amount: bigint;
  issuedOn: PlainDate | null;
  dueOn: PlainDate;
  portfolio: string;
}

export interface PaymentRecord {
  externalId: string;
  debtorExternalId: string;
  obligationExternalId: string | null;
  /** Minor units, > 0. */
  amount: bigint;
  currency: string;
  paidOn: PlainDate;
  method: string | null;
  reference: string | null;
}

export type EntityRecord<E extends Entity> = E extends 'debtors' ? DebtorRecord : E extends 'obligations' ? ObligationRecord : PaymentRecord;

const MAX_ID = 100;
const MAX_TEXT = 500;

/** Collects the errors of one row while reading its values; every reader returns null on a bad value. */
class RowReader {
  readonly errors: FieldError[] = [];
  private readonly values: RawValues;
  constructor(values: RawValues) {
    this.values = values;
  }

  fail(column: string, reason: Message): null {
    this.errors.push({ column, reason });
    return null;
  }

  /** Trimmed text in composed form (NFC), or null when blank. */
  text(column: string, max = MAX_TEXT, compose = true): string | null {
    const raw = this.values[column];
    const trimmed = raw === undefined ? '' : raw.trim();
    const value = compose ? composed(trimmed) : trimmed;
    if (value === '') return null;
    if (value.length > max) return this.fail(column, tooLong(value.length, max));
    return value;
  }

  required(column: string, max = MAX_TEXT, compose = true): string | null {
    const value = this.text(column, max, compose);
    if (value === null && !this.errors.some((e) => e.column === column)) return this.fail(column, t('is required', 'es obligatorio'));
    return value;
  }

  /** An identifier, byte for byte as sent: no control characters (they break exports and look-ups). */
  id(column: string, required: boolean): string | null {
    const value = required ? this.required(column, MAX_ID, false) : this.text(column, MAX_ID, false);
    // eslint-disable-next-line no-control-regex
    if (value !== null && /[\u0000-\u001f\u007f]/.test(value)) return this.fail(column, t('contains control characters or line breaks', 'contiene caracteres de control o saltos de línea'));
    return value;
  }

  date(column: string, required: boolean, ctx: Pick<RecordContext, 'dateFormat' | 'dateFormatHint'>): PlainDate | null {
    const value = required ? this.required(column) : this.text(column);
    if (value === null) return null;
    return parseCellDate(value, ctx, (reason) => this.fail(column, reason));
  }

  currency(column: string): string | null {
    const value = this.required(column);
    if (value === null) return null;
    try {
      return parseCurrency(value);
    } catch (error) {
      return this.fail(column, messageOf(error));
    }
  }

  /** A money amount in `currency`; not checked when the currency itself is bad (its exponent is unknown). */
  amount(column: string, currency: string | null, options: { positive: boolean }): bigint | null {
    const value = this.required(column);
    if (value === null || currency === null) return null;
    try {
      const amount = parseDecimal(value, currency);
      if (options.positive && amount === 0n) return this.fail(column, t('must be greater than zero', 'debe ser mayor que cero'));
      if (amount > MAX_RECORD_MINOR) {
        const most = formatDecimal(MAX_RECORD_MINOR, currency);
        return this.fail(column, t(`"${value}" is too large: at most ${most} ${currency} per record`, `"${value}" es demasiado grande: como máximo ${most} ${currency} por registro`));
      }
      return amount;
    } catch (error) {
      return this.fail(column, messageOf(error));
    }
  }

  /** Maps a value through a table of accepted (normalised) spellings. */
  choice<T extends string>(column: string, table: Readonly<Record<string, T>>, accepted: Message): T | null {
    const value = this.text(column);
    if (value === null) return null;
    // A value already in normal form (the common case) skips the normalisation, which is the costly part.
    const found = (Object.hasOwn(table, value) ? table[value] : undefined) ?? table[normalizeHeader(value)];
    return found ?? this.fail(column, compose((l) => (l === 'es' ? `"${value}" no es uno de ${say(accepted, l)}` : `"${value}" is not one of ${say(accepted, l)}`)));
  }
}

/** Text in composed Unicode (NFC); ASCII, by far the common case, is already composed and skips the work. */
export function composed(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(text) ? text : text.normalize('NFC');
}

function messageOf(error: unknown): Message {
  if (error instanceof MoneyError || error instanceof CalendarError) return error.text;
  throw error;
}

const tooLong = (length: number, max: number): Message => t(`is ${length} characters long; the most allowed is ${max}`, `tiene ${length} caracteres; el máximo permitido es ${max}`);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The hint for a day/month/year date where the format cannot be chosen (a JSON body). */
const ISO_DATES_ONLY = t('send dates as YYYY-MM-DD (ISO)', 'envíe las fechas como AAAA-MM-DD (ISO)');

/** The hint for a day/month/year date in a file whose caller names no way to choose the format. */
export const FILE_DATE_FORMAT_HINT = t('for day/month/year dates use the DD/MM/YYYY date format', 'para fechas día/mes/año use el formato de fecha DD/MM/YYYY');

/** A date followed by a midnight time of day, as many ERPs export dates ("2026-10-01 00:00:00", "01/10/2026 00:00"). */
const AT_MIDNIGHT = /^(\S+)[ T]00:00(?::00(?:\.0+)?)?$/;

/**
 * Parses a date cell. ISO (YYYY-MM-DD) is always accepted because it cannot be misread and XLSX date cells arrive
 * in it; other text must match `format`. A midnight time after the date is the date itself; any other time of day is
 * refused (which day it means would depend on a time zone the file does not give). Impossible dates (2026-02-30) are
 * errors, never rolled over.
 */
function parseCellDate(cell: string, { dateFormat: format, dateFormatHint }: Pick<RecordContext, 'dateFormat' | 'dateFormatHint'>, fail: (reason: Message) => null): PlainDate | null {
  const value = AT_MIDNIGHT.exec(cell.trim())?.[1] ?? cell;
  if (value === cell && /^\S+[ T]\d{1,2}:\d{2}/.test(cell.trim())) {
    return fail(t(`"${cell}" has a time of day; give the date alone, or with 00:00`, `"${cell}" tiene una hora del día; indique solo la fecha, o con 00:00`));
  }
  try {
    return parseDate(value, ISO_DATE.test(value) ? 'YYYY-MM-DD' : format);
  } catch (error) {
    const reason = messageOf(error);
    if (format === 'YYYY-MM-DD' && /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(value)) {
      const hint = dateFormatHint ?? ISO_DATES_ONLY;
      return fail(compose((l) => `${say(reason, l)}; ${say(hint, l)}`));
    }
    return fail(reason);
  }
}

const DEBTOR_TYPES: Readonly<Record<string, DebtorType>> = {
  person: 'person',
  persona: 'person',
  persona_fisica: 'person',
  fisica: 'person',
  persona_natural: 'person',
  natural: 'person',
  individual: 'person',
  company: 'company',
  empresa: 'company',
  persona_moral: 'company',
  moral: 'company',
  persona_juridica: 'company',
  juridica: 'company',
  sociedad: 'company',
};

const KINDS: Readonly<Record<string, ObligationKind>> = {
  invoice: 'invoice',
  factura: 'invoice',
  installment: 'installment',
  cuota: 'installment',
  parcialidad: 'installment',
  statement: 'statement',
  estado_cuenta: 'statement',
  other: 'other',
  otro: 'other',
};

/** Identifier kinds that only one kind of holder can have; the others (RUT, CUIT, NIT, RUC…) tell nothing. */
const HOLDER_OF_KIND: Partial<Record<TaxIdKind, DebtorType>> = {
  rfc_person: 'person',
  curp: 'person',
  dni: 'person',
  cpf: 'person',
  rfc_company: 'company',
  cnpj: 'company',
};

// Deliberately loose: one @, no spaces, a dot in the domain. Deliverability is the mail provider's job.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

const MAX_TAGS = 50;
const MAX_TAG = 50;

/**
 * Validates and normalises a debtor row. Country defaults to the company's; the time zone, when not given, follows
 * from country and region; phones become E.164; the tax id is checked and normalised for the debtor's country, and
 * an empty type is taken from the tax id when it tells persons from companies; the postal code is checked for the
 * countries whose format we know (Mexico: five digits) and kept as text.
 */
export function validateDebtor(values: RawValues, attributes: Readonly<Record<string, string>>, ctx: RecordContext): RowResult<DebtorRecord> {
  const r = new RowReader(values);
  const externalId = r.id('external_id', true);
  const name = r.required('name');
  const type = r.choice('type', DEBTOR_TYPES, t('person, company, persona, empresa', 'person, company, persona, empresa'));

  const countryText = r.text('country');
  let country: string | null = ctx.companyCountry;
  if (countryText !== null) {
    const code = countryText.toUpperCase();
    const codes = Object.keys(COUNTRIES).join(', ');
    country = isCountryCode(code) ? code : r.fail('country', t(`"${countryText}" is not a supported country code (${codes})`, `"${countryText}" no es un código de país admitido (${codes})`));
  }

  let region: string | null = null;
  const regionText = r.text('region');
  if (regionText !== null && country !== null) {
    // Countries whose subdivisions we do not keep get the region as written; for the others it must be one we know.
    if (regionsOf(country).length === 0) region = regionText;
    else {
      const example = regionsOf(country)[0]!.code;
      region =
        resolveRegion(country, regionText) ??
        r.fail('region', t(`"${regionText}" is not a region of ${country} (use its code or name, e.g. ${example})`, `"${regionText}" no es una región de ${country} (use su clave o su nombre, p. ej. ${example})`));
    }
  }

  let timeZone: string | null = null;
  const zoneText = r.text('time_zone');
  if (zoneText !== null) {
    timeZone = isValidTimeZone(zoneText)
      ? new Intl.DateTimeFormat('en', { timeZone: zoneText }).resolvedOptions().timeZone
      : r.fail('time_zone', t(`"${zoneText}" is not an IANA time zone (e.g. America/Mexico_City)`, `"${zoneText}" no es una zona horaria IANA (p. ej. America/Mexico_City)`));
  } else if (country !== null) {
    timeZone = timeZoneFor(country, region);
  }

  let taxId: string | null = null;
  let inferredType: DebtorType | null = null;
  const taxText = r.text('tax_id', MAX_ID);
  if (taxText !== null && country !== null) {
    const result = validateTaxId(taxText, country, type ? { type } : {});
    if (result.ok) {
      taxId = result.normalized;
      inferredType = HOLDER_OF_KIND[result.kind] ?? null;
    } else {
      r.fail('tax_id', result.reason);
    }
  }

  const email = r.text('email', 254);
  if (email !== null && !EMAIL.test(email)) r.fail('email', t(`"${email}" is not an email address`, `"${email}" no es un correo electrónico`));

  const phone = readPhone(r, 'phone', country);
  const whatsapp = readPhone(r, 'whatsapp', country);

  // Tags differing only in case are one tag (domain/tags.ts): the first spelling is kept.
  const tags: string[] = [];
  const tagKeys = new Set<string>();
  const tagText = r.text('tags', 5000);
  if (tagText !== null) {
    for (const part of tagText.split(';')) {
      const tag = part.trim();
      if (tag === '' || tagKeys.has(tagKey(tag))) continue;
      tagKeys.add(tagKey(tag));
      if (tag.length > MAX_TAG) r.fail('tags', t(`tag "${tag.slice(0, 20)}…" is longer than ${MAX_TAG} characters`, `la etiqueta "${tag.slice(0, 20)}…" tiene más de ${MAX_TAG} caracteres`));
      tags.push(tag);
    }
    if (tags.length > MAX_TAGS) r.fail('tags', t(`has ${tags.length} tags; the most allowed is ${MAX_TAGS}`, `tiene ${tags.length} etiquetas; el máximo permitido es ${MAX_TAGS}`));
  }

  const attrs: Record<string, string> = {};
  for (const [key, raw] of Object.entries(attributes)) {
    const value = composed(raw.trim());
    if (value === '') continue;
    if (value.length > MAX_TEXT) r.fail(key, tooLong(value.length, MAX_TEXT));
    attrs[key] = value;
  }

  const city = r.text('city');
  let postalCode = r.text('postal_code', 20);
  if (postalCode !== null && country !== null) {
    const problem = postalCodeProblem(country, postalCode);
    if (problem !== null) postalCode = r.fail('postal_code', problem);
  }
  if (r.errors.length > 0 || externalId === null || name === null || country === null || timeZone === null) return { ok: false, errors: r.errors };
  return {
    ok: true,
    record: {
      externalId,
      name,
      type: type ?? inferredType ?? 'person',
      taxId,
      email: email === null ? null : lowerDomain(email),
      phone,
      whatsapp,
      country,
      region,
      city,
      postalCode,
      timeZone,
      tags,
      attributes: attrs,
    },
  };
}

function readPhone(r: RowReader, column: string, country: string | null): string | null {
  const text = r.text(column, 40);
  if (text === null || country === null) return null;
  const result = normalizePhone(text, country);
  return result.ok ? result.e164 : r.fail(column, result.reason);
}

// The local part of an address may be case-sensitive; the domain never is.
function lowerDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return email.slice(0, at + 1) + email.slice(at + 1).toLowerCase();
}

/** Validates an obligation row. The amount may be zero (a fully credited document) but never negative. */
export function validateObligation(values: RawValues, ctx: RecordContext): RowResult<ObligationRecord> {
  const r = new RowReader(values);
  const externalId = r.id('external_id', true);
  const debtorExternalId = r.id('debtor_external_id', true);
  const kind = r.choice('kind', KINDS, t('invoice, installment, statement, other (factura, cuota, estado_cuenta, otro)', 'factura, cuota, estado_cuenta, otro (invoice, installment, statement, other)'));
  const product = r.text('product', 100);
  const currency = r.currency('currency');
  const amount = r.amount('amount', currency, { positive: false });
  const issuedOn = r.date('issued_on', false, ctx);
  const dueOn = r.date('due_on', true, ctx);
  if (issuedOn !== null && dueOn !== null && issuedOn > dueOn) r.fail('issued_on', t(`${issuedOn} is after the due date ${dueOn}`, `${issuedOn} es posterior a la fecha de vencimiento ${dueOn}`));
  const portfolio = r.text('portfolio', 100) ?? ctx.defaultPortfolio;
  if (r.errors.length > 0 || externalId === null || debtorExternalId === null || currency === null || amount === null || dueOn === null) {
    return { ok: false, errors: r.errors };
  }
  return { ok: true, record: { externalId, debtorExternalId, kind: kind ?? 'invoice', product, currency, amount, issuedOn, dueOn, portfolio } };
}

/** Validates a payment row. A payment of zero carries no money and is refused. */
export function validatePayment(values: RawValues, ctx: RecordContext): RowResult<PaymentRecord> {
  const r = new RowReader(values);
  const externalId = r.id('external_id', true);
  const debtorExternalId = r.id('debtor_external_id', true);
  const obligationExternalId = r.id('obligation_external_id', false);
  const currency = r.currency('currency');
  const amount = r.amount('amount', currency, { positive: true });
  let paidOn = r.date('paid_on', true, ctx);
  if (paidOn !== null && ctx.today !== undefined && paidOn > ctx.today) {
    paidOn = r.fail('paid_on', t(`${paidOn} is after today (${ctx.today}); a payment can only be recorded once it is made`, `${paidOn} es posterior a hoy (${ctx.today}); un pago solo puede registrarse una vez hecho`));
  }
  const method = r.text('method', 100);
  const reference = r.text('reference', 200);
  if (r.errors.length > 0 || externalId === null || debtorExternalId === null || currency === null || amount === null || paidOn === null) {
    return { ok: false, errors: r.errors };
  }
  return { ok: true, record: { externalId, debtorExternalId, obligationExternalId, amount, currency, paidOn, method, reference } };
}

/** Validates one row of any entity; `attributes` only matters for debtors. */
export function validateRecord<E extends Entity>(entity: E, values: RawValues, attributes: Readonly<Record<string, string>>, ctx: RecordContext): RowResult<EntityRecord<E>> {
  switch (entity) {
    case 'debtors':
      return validateDebtor(values, attributes, ctx) as RowResult<EntityRecord<E>>;
    case 'obligations':
      return validateObligation(values, ctx) as RowResult<EntityRecord<E>>;
    default:
      return validatePayment(values, ctx) as RowResult<EntityRecord<E>>;
  }
}
