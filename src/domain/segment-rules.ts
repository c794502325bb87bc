/**
 * Segment rules: a small boolean expression language over "account facts", e.g.
 *   phase = 'administrative' and balance.MXN >= 5000 and region in ('JAL','NLE')
 *
 * A rule is parsed and type-checked once (when saved), then either compiled to a SQL boolean expression for the
 * set-based daily run or evaluated in JS for previews and tests. Both back ends share one semantics:
 * every comparison is two-valued — a missing value (NULL column, absent attribute) makes the comparison false,
 * so `not` of it is true. The SQL wraps each comparison so it never yields NULL.
 *
 * Syntax summary:
 * - comparisons `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`; `in (a, b)`, `not in (a, b)`;
 * - `and`, `or`, `not` (Spanish `y`, `o`, `no` are accepted as synonyms), parentheses, `true`, `false`,
 *   and a bare boolean field (`on_hold`, `not on_hold`);
 * - precedence: not > and > or; keywords and field names are case-insensitive (attribute names after `attr.` are
 *   kept as written because they are keys of the attributes object);
 * - text literals use single quotes, a quote inside is written twice ('O''Brien');
 * - numbers are integers or decimals (`5000`, `1250.50`); a leading `-` is accepted where negatives make sense.
 *
 * The SQL assumes standard_conforming_strings = on (the PostgreSQL default), so backslashes in literals are plain
 * characters; the generator never emits a backslash of its own.
 */

import { regionCodesFor } from './geography.ts';
import { isKnownCurrency, parseDecimal, MoneyError, unsupportedCurrencyText } from './money.ts';
import { tagKey, tagKeySql } from './tags.ts';
import { editDistance, say, t, TextError, type Text } from './text.ts';

/** Longest rule source accepted; rules are hand-written, so anything longer is a mistake or an abuse. */
export const MAX_RULE_LENGTH = 4000;

/** Deepest nesting of parentheses and `not` accepted; keeps the recursive parser and the SQL planner safe. */
export const MAX_RULE_DEPTH = 40;

/** A parse or type error, pointing at the offending character of the rule source. */
export class RuleError extends TextError {
  override name = 'RuleError';
  /** 0-based character offset in the source. */
  readonly position: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The message without the location suffix, for UIs that show the location themselves. */
  readonly reason: string;
  /** {@link reason} in both languages. */
  readonly reasonText: Text;

  constructor(reason: Text, source: string, position: number) {
    const { line, column } = locate(source, position);
    super(t(`${reason.en} at line ${line}, column ${column}`, `${reason.es} en la línea ${line}, columna ${column}`));
    this.reason = reason.en;
    this.reasonText = reason;
    this.position = position;
    this.line = line;
    this.column = column;
  }
}

function locate(source: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

// ---------------------------------------------------------------------------------------------------------------
// Field catalog

/** Collection phases an account can be in. */
const PHASES = ['preventive', 'administrative', 'extrajudicial', 'judicial', 'written_off', 'settled'] as const;
/** Aging buckets by days past due. */
const BUCKETS = ['current', '1-30', '31-60', '61-90', '91-120', '121-180', '181+'] as const;

type ColumnType = 'text' | 'integer' | 'boolean' | 'text[]';

interface ColumnSpec {
  readonly column: string;
  readonly type: ColumnType;
  readonly description: string;
  /** Closed set of values; literals are matched case-insensitively and stored canonically. */
  readonly values?: readonly string[];
  /** Literals are upper-cased (country codes). */
  readonly upper?: boolean;
  /** Elements compare without regard to case (tags, domain/tags.ts): the literal is held in its folded form. */
  readonly caseless?: boolean;
}

const COLUMNS: Readonly<Record<string, ColumnSpec>> = Object.freeze({
  phase: { column: 'phase', type: 'text', values: PHASES, description: `Collection phase: ${PHASES.join(', ')}.` },
  bucket: { column: 'bucket', type: 'text', values: BUCKETS, description: `Aging bucket: ${BUCKETS.join(', ')}.` },
  days_past_due: {
    column: 'days_past_due',
    type: 'integer',
    description: 'Days past due of the oldest overdue obligation; missing when nothing is owed (then every comparison is false).',
  },
  product: { column: 'products', type: 'text[]', description: "Products of the open obligations; `product = 'x'` means some obligation has product x, `!=` means none has." },
  kind: { column: 'kinds', type: 'text[]', description: "Kinds of the open obligations; same any/none semantics as product." },
  tags: {
    column: 'tags',
    type: 'text[]',
    caseless: true,
    description: "Account tags, in any case; `tags = 'vip'` means the account has the tag (written vip, VIP or Vip), `!=` means it does not.",
  },
  region: {
    column: 'region',
    type: 'text',
    description:
      "Region or state code, e.g. 'JAL'. A name or code is read for each account's country as an import reads it ('CDMX' and 'Ciudad de México' mean 'CMX' for a Mexican debtor); text that names no region of the debtor's country is compared as written.",
  },
  country: { column: 'country', type: 'text', upper: true, description: "ISO country code; the literal is upper-cased, e.g. 'mx' means 'MX'." },
  city: { column: 'city', type: 'text', description: 'City, compared exactly as stored.' },
  postal_code: { column: 'postal_code', type: 'text', description: 'Postal code, compared as text.' },
  type: { column: 'type', type: 'text', description: "Account type, e.g. 'individual' or 'business'." },
  on_hold: { column: 'on_hold', type: 'boolean', description: 'Whether collection is on hold; usable bare (`on_hold`, `not on_hold`).' },
});

const MONEY_FIELDS: Readonly<Record<string, { column: 'balances' | 'overdue'; description: string }>> = Object.freeze({
  balance: { column: 'balances', description: 'Outstanding balance in currency CUR (e.g. balance.MXN >= 5000); a currency the account does not hold counts as 0.' },
  overdue: { column: 'overdue', description: 'Overdue amount in currency CUR (e.g. overdue.USD > 100); a currency the account does not hold counts as 0.' },
});

const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SQL_ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A resolved, validated field reference. */
export type FieldRef =
  | { readonly kind: 'column'; readonly name: string; readonly column: string; readonly type: ColumnType }
  | { readonly kind: 'money'; readonly name: string; readonly column: 'balances' | 'overdue'; readonly currency: string }
  | { readonly kind: 'attr'; readonly name: string; readonly key: string };

/**
 * A checked literal: `integer` holds days or money minor units, `decimal` a canonical decimal string for attributes.
 * A region's text may mean another code for debtors of some countries (`byCountry`: country → code, only where it
 * differs from `value`); for every other debtor it is `value`.
 */
export type RuleValue =
  | { readonly type: 'text'; readonly value: string; readonly byCountry?: Readonly<Record<string, string>> }
  | { readonly type: 'integer'; readonly value: bigint }
  | { readonly type: 'decimal'; readonly value: string }
  | { readonly type: 'boolean'; readonly value: boolean };

/** Comparison operators after normalisation (`<>` becomes `!=`). */
export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** The checked syntax tree; only `parseRule` should build one. */
export type RuleAst =
  | { readonly kind: 'and'; readonly operands: readonly RuleAst[] }
  | { readonly kind: 'or'; readonly operands: readonly RuleAst[] }
  | { readonly kind: 'not'; readonly operand: RuleAst }
  | { readonly kind: 'constant'; readonly value: boolean }
  | { readonly kind: 'flag'; readonly field: FieldRef }
  | { readonly kind: 'compare'; readonly field: FieldRef; readonly op: ComparisonOp; readonly value: RuleValue }
  | { readonly kind: 'in'; readonly field: FieldRef; readonly negated: boolean; readonly values: readonly RuleValue[] };

/** The facts one account is judged on; mirrors the columns of the facts relation the SQL runs against. */
export interface AccountFacts {
  phase: string;
  bucket: string;
  days_past_due: number | null;
  /** Currency → minor units; a missing currency means 0. */
  balances: Record<string, bigint>;
  overdue: Record<string, bigint>;
  products: string[];
  kinds: string[];
  tags: string[];
  region: string | null;
  country: string | null;
  city: string | null;
  postal_code: string | null;
  type: string | null;
  on_hold: boolean;
  /** Custom attributes, always stored as strings. */
  attributes: Record<string, string>;
}

/** Field catalog for help text and API docs. */
export function describeFields(): Array<{ name: string; type: string; description: string }> {
  const out: Array<{ name: string; type: string; description: string }> = [];
  for (const [name, spec] of Object.entries(COLUMNS)) out.push({ name, type: spec.type, description: spec.description });
  for (const [name, spec] of Object.entries(MONEY_FIELDS)) out.push({ name: `${name}.<CUR>`, type: 'money', description: spec.description });
  out.push({
    name: 'attr.<name>',
    type: 'attribute',
    description:
      "Custom attribute (name: letters, digits, _). Compared numerically when the literal is a number (a stored value that is not a plain number never matches), as text when it is a quoted string; a missing attribute never matches.",
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Lexer

type TokenKind = 'ident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'end';

interface Token {
  readonly kind: TokenKind;
  /** Source text of the token (string literals: including quotes). */
  readonly text: string;
  /** Decoded value of a string literal. */
  readonly value: string;
  readonly pos: number;
}

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;
const DIGIT = /[0-9]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  const push = (kind: TokenKind, start: number, value = '') => tokens.push({ kind, text: source.slice(start, i), value, pos: start });
  while (i < n) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (IDENT_START.test(c)) {
      i++;
      while (i < n && IDENT_PART.test(source[i] as string)) i++;
      // Dotted names (balance.MXN, attr.score) are one token so errors can point at the whole name.
      while (i < n && source[i] === '.') {
        i++;
        while (i < n && IDENT_PART.test(source[i] as string)) i++;
      }
      push('ident', start);
      continue;
    }
    if (DIGIT.test(c) || (c === '-' && DIGIT.test(source[i + 1] ?? ''))) {
      i++;
      while (i < n && DIGIT.test(source[i] as string)) i++;
      if (source[i] === '.' && DIGIT.test(source[i + 1] ?? '')) {
        i++;
        while (i < n && DIGIT.test(source[i] as string)) i++;
      }
      if (i < n && (IDENT_PART.test(source[i] as string) || source[i] === '.')) {
        while (i < n && (IDENT_PART.test(source[i] as string) || source[i] === '.')) i++;
        throw new RuleError(
          t(
            `invalid number "${source.slice(start, i)}" (use digits and a dot for decimals, e.g. 1250.50)`,
            `número no válido "${source.slice(start, i)}" (use dígitos y punto decimal, p. ej. 1250.50)`,
          ),
          source,
          start,
        );
      }
      push('number', start);
      continue;
    }
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new RuleError(t('unterminated text literal (missing closing quote)', 'texto sin terminar (falta la comilla de cierre)'), source, start);
        const d = source[i] as string;
        if (d === "'") {
          if (source[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        // PostgreSQL text cannot hold NUL; refusing it here keeps the SQL from failing at run time.
        if (d === '\0') throw new RuleError(t('text literal contains a NUL character', 'el texto contiene un carácter NUL'), source, i);
        value += d;
        i++;
      }
      push('string', start, value);
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      i++;
      push(c, start);
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      i += 2;
      push('op', start);
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      i++;
      push('op', start);
      continue;
    }
    const ch = String.fromCodePoint(source.codePointAt(i) ?? 0);
    // Double or typographic quotes around a text value: the rule language takes single quotes.
    if ('"“”‘’'.includes(ch)) {
      throw new RuleError(t(`unexpected character "${ch}" (text values go in single quotes, e.g. 'judicial')`, `carácter inesperado "${ch}" (los textos van entre comillas simples, p. ej. 'judicial')`), source, start);
    }
    throw new RuleError(t(`unexpected character "${ch}"`, `carácter inesperado "${ch}"`), source, start);
  }
  tokens.push({ kind: 'end', text: '', value: '', pos: n });
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser and type checker

const AND_WORDS = new Set(['and', 'y']);
const OR_WORDS = new Set(['or', 'o']);
const NOT_WORDS = new Set(['not', 'no']);
const RESERVED = new Set(['and', 'y', 'or', 'o', 'not', 'no', 'in', 'true', 'false']);

function describeToken(token: Token): Text {
  return token.kind === 'end' ? t('the end of the rule', 'el final de la regla') : t(`"${token.text}"`, `"${token.text}"`);
}

const expectedCondition = (found: Token): Text =>
  t(`expected a condition but found ${describeToken(found).en}`, `se esperaba una condición pero se encontró ${describeToken(found).es}`);

/** How a Spanish sentence calls an unknown value of a field with a closed set of values. */
const VALUE_NAMES_ES: Readonly<Record<string, string>> = Object.freeze({ phase: 'fase desconocida', bucket: 'tramo desconocido' });

/** An unknown field, with what to write instead in parentheses. */
function unknownField(text: string): Text {
  const hint = fieldHint(text);
  return t(`unknown field "${text}" (${hint.en})`, `campo desconocido "${text}" (${hint.es})`);
}

/**
 * Words a Spanish-speaking user may write for a field (the names of the import's Spanish headers, mostly): a hint
 * only, rules name fields in English.
 */
const SPANISH_FIELD_WORDS: Readonly<Record<string, string>> = Object.freeze({
  fase: 'phase',
  tramo: 'bucket',
  dpd: 'days_past_due',
  dias_atraso: 'days_past_due',
  días_atraso: 'days_past_due',
  dias_vencido: 'days_past_due',
  días_vencido: 'days_past_due',
  producto: 'product',
  tipo_documento: 'kind',
  etiquetas: 'tags',
  estado: 'region',
  departamento: 'region',
  región: 'region',
  pais: 'country',
  país: 'country',
  ciudad: 'city',
  codigo_postal: 'postal_code',
  código_postal: 'postal_code',
  tipo: 'type',
  en_espera: 'on_hold',
  saldo: 'balance',
  vencido: 'overdue',
});

/** The field a mistyped or Spanish field name most likely meant, within a couple of letters. */
function closestField(word: string, names: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  if (Object.hasOwn(SPANISH_FIELD_WORDS, lower)) return SPANISH_FIELD_WORDS[lower];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = editDistance(lower, name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(lower.length / 4)) ? best : undefined;
}

/** What to write instead of an unknown field: the closest field, or the list of fields. */
function fieldHint(text: string): Text {
  const dot = text.indexOf('.');
  const money = Object.keys(MONEY_FIELDS);
  if (dot >= 0) {
    const prefix = closestField(text.slice(0, dot), [...money, 'attr']);
    if (prefix !== undefined && (money.includes(prefix) || prefix === 'attr')) {
      const meant = `${prefix}.${text.slice(dot + 1)}`;
      return t(`did you mean "${meant}"?`, `¿quiso decir "${meant}"?`);
    }
  } else {
    const field = closestField(text, [...Object.keys(COLUMNS), ...money]);
    if (field !== undefined && money.includes(field)) return t(`did you mean "${field}" with a currency, e.g. ${field}.MXN?`, `¿quiso decir "${field}" con una moneda, p. ej. ${field}.MXN?`);
    if (field !== undefined) return t(`did you mean "${field}"?`, `¿quiso decir "${field}"?`);
  }
  const known = [...Object.keys(COLUMNS), ...money.map((m) => `${m}.<CUR>`), 'attr.<name>'].join(', ');
  return t(`the fields are ${known}`, `los campos son ${known}`);
}

/** Parses and type-checks a rule; throws RuleError with the position of the first problem. */
export function parseRule(source: string): RuleAst {
  if (source.length > MAX_RULE_LENGTH) {
    throw new RuleError(
      t(`rule is too long (${source.length} characters; the limit is ${MAX_RULE_LENGTH})`, `la regla es demasiado larga (${source.length} caracteres; el límite es ${MAX_RULE_LENGTH})`),
      source,
      MAX_RULE_LENGTH,
    );
  }
  const parser = new Parser(source, tokenize(source));
  return parser.parseRoot();
}

class Parser {
  private readonly source: string;
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(source: string, tokens: Token[]) {
    this.source = source;
    this.tokens = tokens;
  }

  parseRoot(): RuleAst {
    if (this.peek().kind === 'end') throw this.error(t('the rule is empty; write a condition such as on_hold = false', 'la regla está vacía; escriba una condición como on_hold = false'), this.peek().pos);
    const ast = this.parseOr();
    const token = this.peek();
    if (token.kind !== 'end') {
      const hint = token.kind === ')' ? t(' (there is no matching "(")', ' (no hay un "(" que le corresponda)') : t(' (expected "and", "or" or the end of the rule)', ' (se esperaba "and", "or" o el final de la regla)');
      throw this.error(t(`unexpected ${describeToken(token).en}${hint.en}`, `no se esperaba ${describeToken(token).es}${hint.es}`), token.pos);
    }
    return ast;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.index++;
    return t;
  }

  private isWord(t: Token, words: ReadonlySet<string>): boolean {
    return t.kind === 'ident' && words.has(t.text.toLowerCase());
  }

  private error(reason: Text, position: number): RuleError {
    return new RuleError(reason, this.source, position);
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_RULE_DEPTH) throw this.error(
        t(
          `rule is nested too deeply (more than ${MAX_RULE_DEPTH} levels of parentheses or "not")`,
          `la regla tiene demasiados niveles anidados (más de ${MAX_RULE_DEPTH} niveles de paréntesis o "not")`,
        ),
        pos,
      );
  }

  private parseOr(): RuleAst {
    const operands = [this.parseAnd()];
    while (this.isWord(this.peek(), OR_WORDS)) {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? (operands[0] as RuleAst) : { kind: 'or', operands };
  }

  private parseAnd(): RuleAst {
    const operands = [this.parseNot()];
    while (this.isWord(this.peek(), AND_WORDS)) {
      this.next();
      operands.push(this.parseNot());
    }
    return operands.length === 1 ? (operands[0] as RuleAst) : { kind: 'and', operands };
  }

  private parseNot(): RuleAst {
    const t = this.peek();
    if (this.isWord(t, NOT_WORDS)) {
      this.next();
      this.enter(t.pos);
      const operand = this.parseNot();
      this.depth--;
      return { kind: 'not', operand };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): RuleAst {
    const open = this.peek();
    if (open.kind === '(') {
      this.next();
      this.enter(open.pos);
      const inner = this.parseOr();
      this.depth--;
      const close = this.peek();
      if (close.kind !== ')') {
        if (close.kind === 'end') throw this.error(t('missing ")" to close this "("', 'falta un ")" que cierre este "("'), open.pos);
        throw this.error(t(`expected ")" but found ${describeToken(close).en}`, `se esperaba ")" pero se encontró ${describeToken(close).es}`), close.pos);
      }
      this.next();
      return inner;
    }
    if (open.kind === 'ident') {
      const word = open.text.toLowerCase();
      if (word === 'true' || word === 'false') {
        this.next();
        return { kind: 'constant', value: word === 'true' };
      }
      if (RESERVED.has(word)) throw this.error(expectedCondition(open), open.pos);
      this.next();
      return this.parseCondition(open, this.resolveField(open));
    }
    throw this.error(expectedCondition(open), open.pos);
  }

  private resolveField(token: Token): FieldRef {
    const text = token.text;
    const dot = text.indexOf('.');
    if (dot < 0) {
      const key = text.toLowerCase();
      if (Object.hasOwn(COLUMNS, key)) {
        const spec = COLUMNS[key] as ColumnSpec;
        return { kind: 'column', name: key, column: spec.column, type: spec.type };
      }
      if (Object.hasOwn(MONEY_FIELDS, key)) throw this.error(t(`"${text}" needs a currency, e.g. ${key}.MXN`, `"${text}" necesita una moneda, p. ej. ${key}.MXN`), token.pos);
      if (key === 'attr') throw this.error(t(`"${text}" needs an attribute name, e.g. attr.score`, `"${text}" necesita el nombre de un atributo, p. ej. attr.score`), token.pos);
      throw this.error(unknownField(text), token.pos);
    }
    const prefix = text.slice(0, dot).toLowerCase();
    const rest = text.slice(dot + 1);
    const restPos = token.pos + dot + 1;
    if (Object.hasOwn(MONEY_FIELDS, prefix)) {
      const currency = rest.toUpperCase();
      if (rest === '') throw this.error(t(`"${text}" needs a currency, e.g. ${prefix}.MXN`, `"${text}" necesita una moneda, p. ej. ${prefix}.MXN`), restPos);
      if (!/^[A-Z]{2,3}$/.test(currency) || !isKnownCurrency(currency)) {
        const why = unsupportedCurrencyText(rest);
        throw this.error(t(`${why.en} in "${text}"`, `${why.es} en "${text}"`), restPos);
      }
      const spec = MONEY_FIELDS[prefix] as { column: 'balances' | 'overdue' };
      return { kind: 'money', name: `${prefix}.${currency}`, column: spec.column, currency };
    }
    if (prefix === 'attr') {
      if (!ATTRIBUTE_NAME.test(rest)) {
        throw this.error(
          t(
            `invalid attribute name "${rest}" (use letters, digits and _, not starting with a digit)`,
            `nombre de atributo no válido "${rest}" (use letras, dígitos y _, sin empezar con un dígito)`,
          ),
          restPos,
        );
      }
      return { kind: 'attr', name: `attr.${rest}`, key: rest };
    }
    throw this.error(unknownField(text), token.pos);
  }

  private parseCondition(fieldToken: Token, field: FieldRef): RuleAst {
    const token = this.peek();
    if (token.kind === 'op') {
      this.next();
      const op: ComparisonOp = token.text === '<>' ? '!=' : (token.text as ComparisonOp);
      this.checkOperator(field, op, token);
      const literal = this.expectLiteral(t(`after "${token.text}"`, `después de "${token.text}"`), token);
      return { kind: 'compare', field, op, value: this.checkValue(field, op, literal) };
    }
    const notIn = this.isWord(token, NOT_WORDS) && this.isWord(this.peek(1), new Set(['in']));
    if (notIn || this.isWord(token, new Set(['in']))) {
      if (notIn) this.next();
      const inToken = this.next();
      this.checkOperator(field, 'in', inToken);
      const open = this.peek();
      if (open.kind !== '(') throw this.error(t(`expected "(" after "in" but found ${describeToken(open).en}`, `se esperaba "(" después de "in" pero se encontró ${describeToken(open).es}`), open.pos);
      this.next();
      const literals: Token[] = [this.expectLiteral(t('in the list', 'en la lista'), open)];
      while (this.peek().kind === ',') {
        const comma = this.next();
        literals.push(this.expectLiteral(t('after ","', 'después de ","'), comma));
      }
      const close = this.peek();
      if (close.kind !== ')') {
        if (close.kind === 'end') throw this.error(t('missing ")" to close this list', 'falta un ")" que cierre esta lista'), open.pos);
        throw this.error(t(`expected "," or ")" in the list but found ${describeToken(close).en}`, `se esperaba "," o ")" en la lista pero se encontró ${describeToken(close).es}`), close.pos);
      }
      this.next();
      const values = literals.map((lit) => this.checkValue(field, '=', lit));
      if (field.kind === 'attr') {
        const kinds = new Set(values.map((v) => v.type));
        if (kinds.size > 1) throw this.error(t(`the list for ${field.name} mixes numbers and text; use one or the other`, `la lista de ${field.name} mezcla números y texto; use solo uno de los dos`), open.pos);
      }
      return { kind: 'in', field, negated: notIn, values };
    }
    if (field.kind === 'column' && field.type === 'boolean') return { kind: 'flag', field };
    throw this.error(
      t(
        `expected a comparison operator (=, !=, <, <=, >, >=, in) after "${fieldToken.text}" but found ${describeToken(token).en}`,
        `se esperaba un operador de comparación (=, !=, <, <=, >, >=, in) después de "${fieldToken.text}" pero se encontró ${describeToken(token).es}`,
      ),
      token.pos,
    );
  }

  private expectLiteral(where: Text, after: Token): Token {
    const token = this.peek();
    if (token.kind === 'string' || token.kind === 'number' || (token.kind === 'ident' && ['true', 'false'].includes(token.text.toLowerCase()))) {
      return this.next();
    }
    const found = describeToken(token);
    const what = where.en.startsWith('after')
      ? t(`expected a value ${where.en}`, `se esperaba un valor ${where.es}`)
      : t(`expected a value ${where.en} after ${describeToken(after).en}`, `se esperaba un valor ${where.es} después de ${describeToken(after).es}`);
    const hint = token.kind === 'ident' ? t(' (text values go in single quotes)', ' (los valores de texto van entre comillas simples)') : t('', '');
    throw this.error(t(`${what.en} but found ${found.en}${hint.en}`, `${what.es} pero se encontró ${found.es}${hint.es}`), token.pos);
  }

  private checkOperator(field: FieldRef, op: ComparisonOp | 'in', token: Token): void {
    const ordering = op === '<' || op === '<=' || op === '>' || op === '>=';
    if (!ordering) return;
    if (field.kind === 'column' && field.type !== 'integer') {
      const boolean = field.type === 'boolean';
      throw this.error(
        t(
          `"${token.text}" cannot be used with ${field.name}, which is ${boolean ? 'a yes/no field' : 'text'}; use ${boolean ? '= or !=' : '=, !=, in or not in'}`,
          `"${token.text}" no se puede usar con ${field.name}, que es ${boolean ? 'un campo de sí/no' : 'texto'}; use ${boolean ? '= o !=' : '=, !=, in o not in'}`,
        ),
        token.pos,
      );
    }
  }

  private checkValue(field: FieldRef, op: ComparisonOp, lit: Token): RuleValue {
    const litKind = lit.kind === 'ident' ? 'boolean' : lit.kind === 'string' ? 'text' : 'number';
    const mismatch = (expected: Text): RuleError =>
      this.error(
        t(
          `type mismatch: ${field.name} expects ${expected.en} but ${lit.text} is ${litKind === 'boolean' ? 'true/false' : litKind === 'text' ? 'text' : 'a number'}`,
          `tipo incorrecto: ${field.name} espera ${expected.es}, pero ${lit.text} es ${litKind === 'boolean' ? 'true/false' : litKind === 'text' ? 'texto' : 'un número'}`,
        ),
        lit.pos,
      );

    if (field.kind === 'money') {
      if (litKind !== 'number') throw mismatch(t(`an amount in ${field.currency} (e.g. 5000 or 1250.50)`, `un monto en ${field.currency} (p. ej. 5000 o 1250.50)`));
      let minor: bigint;
      try {
        minor = parseDecimal(lit.text, field.currency, { allowNegative: false });
      } catch (e) {
        if (e instanceof MoneyError) throw this.error(t(`invalid amount for ${field.name}: ${e.message}`, `monto no válido para ${field.name}: ${say(e.text, 'es')}`), lit.pos);
        throw e;
      }
      // The facts store minor units as bigint; a larger literal could only ever be a typo.
      if (minor > 9223372036854775807n) throw this.error(t(`amount ${lit.text} is too large for ${field.name}`, `el monto ${lit.text} es demasiado grande para ${field.name}`), lit.pos);
      return { type: 'integer', value: minor };
    }
    if (field.kind === 'attr') {
      if (litKind === 'text') {
        if (op !== '=' && op !== '!=') {
          throw this.error(
            t(`"${op}" needs a number to compare ${field.name}; text only supports =, !=, in and not in`, `"${op}" necesita un número para comparar ${field.name}; con texto solo se puede usar =, !=, in y not in`),
            lit.pos,
          );
        }
        return { type: 'text', value: lit.value };
      }
      if (litKind === 'number') return { type: 'decimal', value: canonicalDecimal(lit.text) };
      throw mismatch(t('a number or a quoted text', 'un número o un texto entre comillas'));
    }
    switch (field.type) {
      case 'integer': {
        if (litKind !== 'number') throw mismatch(t('a whole number', 'un número entero'));
        if (lit.text.includes('.')) throw this.error(t(`${field.name} is a whole number; "${lit.text}" has decimals`, `${field.name} es un número entero; "${lit.text}" tiene decimales`), lit.pos);
        const value = BigInt(lit.text);
        if (value > 2147483647n || value < -2147483648n) throw this.error(t(`number ${lit.text} is out of range for ${field.name}`, `el número ${lit.text} está fuera del rango de ${field.name}`), lit.pos);
        return { type: 'integer', value };
      }
      case 'boolean':
        if (litKind !== 'boolean') throw mismatch(t('true or false', 'true o false'));
        return { type: 'boolean', value: lit.text.toLowerCase() === 'true' };
      case 'text':
      case 'text[]': {
        if (litKind !== 'text') throw mismatch(t(`a quoted text such as '${litKind === 'number' ? lit.text : 'value'}'`, `un texto entre comillas como '${litKind === 'number' ? lit.text : 'valor'}'`));
        const spec = COLUMNS[field.name] as ColumnSpec;
        if (spec.values) {
          const canonical = spec.values.find((v) => v === lit.value.toLowerCase());
          if (canonical === undefined) {
            throw this.error(t(`unknown ${field.name} "${lit.value}"; expected one of ${spec.values.join(', ')}`, `${VALUE_NAMES_ES[field.name] ?? `valor de ${field.name} desconocido`} "${lit.value}"; se esperaba uno de ${spec.values.join(', ')}`), lit.pos);
          }
          return { type: 'text', value: canonical };
        }
        if (field.name === 'region') return regionValue(lit.value);
        if (spec.caseless) return { type: 'text', value: tagKey(lit.value.normalize('NFC')) };
        return { type: 'text', value: spec.upper ? lit.value.toUpperCase() : lit.value };
      }
    }
  }
}

/**
 * A region literal, read for each debtor's country as an import reads the debtor's region column ('CDMX' is 'CMX' for
 * a Mexican debtor), and as written (composed, as stored text is) for a debtor of a country where it names no region.
 * Text that names no region anywhere is kept, not refused: countries whose subdivisions we keep no list of store
 * their regions as written, and a rule may be saved before the debtors it is meant for are imported.
 */
function regionValue(text: string): RuleValue {
  const value = text.normalize('NFC');
  const byCountry = regionCodesFor(value);
  return Object.keys(byCountry).length > 0 ? { type: 'text', value, byCountry } : { type: 'text', value };
}

/** "007.50" → "7.5", "-0" → "0": one spelling per number so SQL and JS see the same literal. */
function canonicalDecimal(text: string): string {
  const d = parseDecimalParts(text);
  if (d === null) throw new Error(`not a decimal: ${text}`);
  return formatParts(d);
}

// ---------------------------------------------------------------------------------------------------------------
// Exact decimals for attributes (never floats, so JS agrees with PostgreSQL numeric)

interface DecimalParts {
  readonly negative: boolean;
  readonly digits: bigint;
  readonly scale: number;
}

/**
 * The only stored attribute spellings treated as numbers; the SQL uses the same pattern before casting to numeric,
 * so "n/a", "1e3" or "" simply never match a numeric comparison. Brackets instead of backslashes keep the SQL
 * independent of standard_conforming_strings.
 */
const NUMERIC_TEXT = '^ *[+-]?[0-9]+([.][0-9]+)? *$';
const NUMERIC_TEXT_RE = new RegExp(NUMERIC_TEXT);

function parseDecimalParts(text: string): DecimalParts | null {
  if (!NUMERIC_TEXT_RE.test(text)) return null;
  const t = text.trim();
  const negative = t.startsWith('-');
  const unsigned = t.replace(/^[+-]/, '');
  const [whole = '', frac = ''] = unsigned.split('.');
  const digits = BigInt(whole + frac);
  return { negative: negative && digits !== 0n, digits, scale: frac.length };
}

function formatParts(d: DecimalParts): string {
  let s = d.digits.toString().padStart(d.scale + 1, '0');
  if (d.scale > 0) s = `${s.slice(0, -d.scale)}.${s.slice(-d.scale)}`.replace(/\.?0+$/, '');
  return d.negative && d.digits !== 0n ? `-${s}` : s;
}

function compareDecimals(a: DecimalParts, b: DecimalParts): number {
  const scale = Math.max(a.scale, b.scale);
  const av = (a.negative ? -a.digits : a.digits) * 10n ** BigInt(scale - a.scale);
  const bv = (b.negative ? -b.digits : b.digits) * 10n ** BigInt(scale - b.scale);
  return av < bv ? -1 : av > bv ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// JS evaluator

function ordered(cmp: number, op: ComparisonOp): boolean {
  switch (op) {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
  }
}

function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Scalar = string | bigint | boolean | DecimalParts;

/** The field's value for one account, or null when missing (which makes every comparison false). */
function scalarOf(field: FieldRef, facts: AccountFacts, numeric: boolean): Scalar | null {
  switch (field.kind) {
    case 'money': {
      const amounts = facts[field.column];
      return amounts != null && Object.hasOwn(amounts, field.currency) ? (amounts[field.currency] as bigint) : 0n;
    }
    case 'attr': {
      const attrs = facts.attributes;
      if (attrs == null || !Object.hasOwn(attrs, field.key)) return null;
      const raw = attrs[field.key];
      if (typeof raw !== 'string') return null;
      return numeric ? parseDecimalParts(raw) : raw;
    }
    case 'column': {
      const v = (facts as unknown as Record<string, unknown>)[field.column];
      if (v === null || v === undefined) return null;
      if (field.type === 'integer') return BigInt(v as number);
      return v as string | boolean;
    }
  }
}

/** The literal as it reads for this account: a region's code for the account's country, when it has one there. */
function valueFor(value: RuleValue, facts: AccountFacts): RuleValue {
  if (value.type !== 'text' || value.byCountry === undefined || facts.country == null) return value;
  const code = Object.hasOwn(value.byCountry, facts.country) ? value.byCountry[facts.country] : undefined;
  return code === undefined ? value : { type: 'text', value: code };
}

function compareScalar(actual: Scalar, value: RuleValue): number {
  switch (value.type) {
    case 'integer':
      return compareBigints(actual as bigint, value.value);
    case 'decimal':
      return compareDecimals(actual as DecimalParts, parseDecimalParts(value.value) as DecimalParts);
    case 'text':
    case 'boolean':
      return actual === value.value ? 0 : 1;
  }
}

function arrayOf(field: FieldRef, facts: AccountFacts): readonly string[] {
  const v = (facts as unknown as Record<string, unknown>)[(field as { column: string }).column];
  if (!Array.isArray(v)) return [];
  return isCaseless(field) ? (v as string[]).map(tagKey) : (v as string[]);
}

function isArrayField(field: FieldRef): boolean {
  return field.kind === 'column' && field.type === 'text[]';
}

function isCaseless(field: FieldRef): boolean {
  return field.kind === 'column' && COLUMNS[field.name]?.caseless === true;
}

/** Evaluates a parsed rule against one account with exactly the semantics of the compiled SQL. */
export function evaluateRule(ast: RuleAst, facts: AccountFacts): boolean {
  switch (ast.kind) {
    case 'and':
      return ast.operands.every((o) => evaluateRule(o, facts));
    case 'or':
      return ast.operands.some((o) => evaluateRule(o, facts));
    case 'not':
      return !evaluateRule(ast.operand, facts);
    case 'constant':
      return ast.value;
    case 'flag':
      return scalarOf(ast.field, facts, false) === true;
    case 'compare': {
      if (isArrayField(ast.field)) {
        const some = arrayOf(ast.field, facts).includes(ast.value.value as string);
        return ast.op === '=' ? some : !some;
      }
      const actual = scalarOf(ast.field, facts, ast.value.type === 'decimal');
      if (actual === null) return false;
      return ordered(compareScalar(actual, valueFor(ast.value, facts)), ast.op);
    }
    case 'in': {
      if (isArrayField(ast.field)) {
        const wanted = new Set(ast.values.map((v) => v.value as string));
        const some = arrayOf(ast.field, facts).some((x) => wanted.has(x));
        return ast.negated ? !some : some;
      }
      const actual = scalarOf(ast.field, facts, ast.values[0]?.type === 'decimal');
      if (actual === null) return false;
      const found = ast.values.some((v) => compareScalar(actual, valueFor(v, facts)) === 0);
      return ast.negated ? !found : found;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SQL compiler

/** Standard SQL string literal: quotes doubled, nothing else special under standard_conforming_strings. */
function sqlText(value: string): string {
  if (value.includes('\0')) throw new Error('NUL character in SQL literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A literal as SQL; a region's is a CASE on the account's country (`prefix` is the facts relation's alias and dot). */
function sqlValue(value: RuleValue, prefix: string): string {
  switch (value.type) {
    case 'text': {
      if (value.byCountry === undefined) return sqlText(value.value);
      const whens = Object.entries(value.byCountry).map(([country, code]) => `WHEN ${sqlText(country)} THEN ${sqlText(code)}`);
      return `(CASE ${prefix}country ${whens.join(' ')} ELSE ${sqlText(value.value)} END)`;
    }
    case 'integer':
      return value.value.toString();
    case 'decimal':
      // Re-validate: this text is spliced into SQL, so it must be a plain decimal whatever built the AST.
      if (!/^-?[0-9]+([.][0-9]+)?$/.test(value.value)) throw new Error(`invalid decimal literal ${value.value}`);
      return value.value;
    case 'boolean':
      return value.value ? 'TRUE' : 'FALSE';
  }
}

const SQL_OPS: Readonly<Record<ComparisonOp, string>> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Compiles a parsed rule to a PostgreSQL boolean expression over the facts relation (never NULL). */
export function compileRuleToSql(ast: RuleAst, options: { alias?: string } = {}): string {
  const alias = options.alias;
  if (alias !== undefined && !SQL_ALIAS.test(alias)) throw new Error(`invalid SQL alias "${alias}"`);
  const prefix = alias === undefined ? '' : `${alias}.`;
  return compileNode(ast, prefix);
}

function columnSql(field: FieldRef, prefix: string): string {
  switch (field.kind) {
    case 'column':
      if (!Object.values(COLUMNS).some((c) => c.column === field.column)) throw new Error(`unknown column ${field.column}`);
      return `${prefix}${field.column}`;
    case 'money':
      if (!isKnownCurrency(field.currency)) throw new Error(`unknown currency ${field.currency}`);
      return `coalesce((${prefix}${field.column}->>${sqlText(field.currency)})::bigint, 0)`;
    case 'attr':
      if (!ATTRIBUTE_NAME.test(field.key)) throw new Error(`invalid attribute name ${field.key}`);
      return `(${prefix}attributes->>${sqlText(field.key)})`;
  }
}

function compileNode(ast: RuleAst, prefix: string): string {
  switch (ast.kind) {
    case 'and':
      return `(${ast.operands.map((o) => compileNode(o, prefix)).join(' AND ')})`;
    case 'or':
      return `(${ast.operands.map((o) => compileNode(o, prefix)).join(' OR ')})`;
    case 'not':
      return `(NOT ${compileNode(ast.operand, prefix)})`;
    case 'constant':
      return ast.value ? 'TRUE' : 'FALSE';
    case 'flag':
      return `coalesce(${columnSql(ast.field, prefix)}, FALSE)`;
    case 'compare': {
      const col = columnSql(ast.field, prefix);
      if (isArrayField(ast.field)) {
        // A caseless array's literal is already folded; its elements are folded one by one (NULL array: no element).
        const some = isCaseless(ast.field)
          ? `EXISTS (SELECT 1 FROM unnest(${col}) AS e(v) WHERE ${tagKeySql('e.v')} = ${sqlValue(ast.value, prefix)})`
          : `coalesce(${sqlValue(ast.value, prefix)} = ANY(${col}), FALSE)`;
        return ast.op === '=' ? some : `(NOT ${some})`;
      }
      const test = `${col} ${SQL_OPS[ast.op]} `;
      if (ast.value.type === 'decimal') return numericAttr(col, `${col}::numeric ${SQL_OPS[ast.op]} ${sqlValue(ast.value, prefix)}`);
      return `coalesce(${test}${sqlValue(ast.value, prefix)}, FALSE)`;
    }
    case 'in': {
      const col = columnSql(ast.field, prefix);
      const list = ast.values.map((v) => sqlValue(v, prefix)).join(', ');
      if (isArrayField(ast.field)) {
        const some = isCaseless(ast.field)
          ? `EXISTS (SELECT 1 FROM unnest(${col}) AS e(v) WHERE ${tagKeySql('e.v')} IN (${list}))`
          : `coalesce(${col} && ARRAY[${list}]::text[], FALSE)`;
        return ast.negated ? `(NOT ${some})` : some;
      }
      const op = ast.negated ? 'NOT IN' : 'IN';
      if (ast.values[0]?.type === 'decimal') return numericAttr(col, `${col}::numeric ${op} (${list})`);
      return `coalesce(${col} ${op} (${list}), FALSE)`;
    }
  }
}

/** CASE guarantees the cast only runs on values that look numeric, so "n/a" is a non-match instead of an error. */
function numericAttr(col: string, comparison: string): string {
  return `(CASE WHEN ${col} ~ ${sqlText(NUMERIC_TEXT)} THEN coalesce(${comparison}, FALSE) ELSE FALSE END)`;
}
