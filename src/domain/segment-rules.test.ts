import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_RULE_DEPTH,
  MAX_RULE_LENGTH,
  RuleError,
  compileRuleToSql,
  describeFields,
  evaluateRule,
  parseRule,
  type AccountFacts,
  type RuleAst,
} from './segment-rules.ts';

function facts(overrides: Partial<AccountFacts> = {}): AccountFacts {
  return {
    phase: 'administrative',
    bucket: '31-60',
    days_past_due: 45,
    balances: { MXN: 750000n },
    overdue: { MXN: 120000n },
    products: ['credit_card'],
    kinds: ['installment'],
    tags: [],
    region: 'JAL',
    country: 'MX',
    city: 'Guadalajara',
    postal_code: '44100',
    type: 'individual',
    on_hold: false,
    attributes: {},
    ...overrides,
  };
}

function check(source: string, f: AccountFacts): boolean {
  return evaluateRule(parseRule(source), f);
}

function errorOf(source: string): RuleError {
  try {
    parseRule(source);
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error(`expected "${source}" to be rejected`);
}

describe('parseRule', () => {
  it('parses the documented example into a checked tree', () => {
    const ast = parseRule("phase = 'administrative' and balance.MXN >= 5000 and region in ('JAL','NLE')");
    expect(ast).toEqual({
      kind: 'and',
      operands: [
        { kind: 'compare', field: { kind: 'column', name: 'phase', column: 'phase', type: 'text' }, op: '=', value: { type: 'text', value: 'administrative' } },
        { kind: 'compare', field: { kind: 'money', name: 'balance.MXN', column: 'balances', currency: 'MXN' }, op: '>=', value: { type: 'integer', value: 500000n } },
        {
          kind: 'in',
          field: { kind: 'column', name: 'region', column: 'region', type: 'text' },
          negated: false,
          values: [{ type: 'text', value: 'JAL' }, { type: 'text', value: 'NLE' }],
        },
      ],
    });
  });

  it('treats keywords, field names and currency codes case-insensitively', () => {
    expect(parseRule("PHASE = 'judicial' AND Balance.mxn > 1 OR NOT On_Hold")).toEqual(parseRule("phase = 'judicial' and balance.MXN > 1 or not on_hold"));
  });

  it('turns money literals into exact minor units per currency', () => {
    const value = (src: string) => (parseRule(src) as Extract<RuleAst, { kind: 'compare' }>).value;
    expect(value('balance.MXN >= 5000')).toEqual({ type: 'integer', value: 500000n });
    expect(value('balance.MXN >= 1250.50')).toEqual({ type: 'integer', value: 125050n });
    expect(value('overdue.USD > 0.1')).toEqual({ type: 'integer', value: 10n });
    expect(value('balance.CLP >= 150000')).toEqual({ type: 'integer', value: 150000n });
    expect(value('balance.UF > 1.2345')).toEqual({ type: 'integer', value: 12345n });
    expect(value('balance.MXN = 10.500')).toEqual({ type: 'integer', value: 1050n });
  });

  it('normalises literals: phase case, country upper-cased, quotes unescaped, decimals canonical', () => {
    const value = (src: string) => (parseRule(src) as Extract<RuleAst, { kind: 'compare' }>).value;
    expect(value("phase = 'Judicial'")).toEqual({ type: 'text', value: 'judicial' });
    expect(value("country = 'mx'")).toEqual({ type: 'text', value: 'MX' });
    expect(value("city = 'O''Higgins'")).toEqual({ type: 'text', value: "O'Higgins" });
    expect(value("city = ''")).toEqual({ type: 'text', value: '' });
    expect(value('attr.score >= 007.50')).toEqual({ type: 'decimal', value: '7.5' });
    expect(value('attr.score >= -0.0')).toEqual({ type: 'decimal', value: '0' });
    expect(value("attr.score = '700'")).toEqual({ type: 'text', value: '700' });
    expect(value('days_past_due > -5')).toEqual({ type: 'integer', value: -5n });
  });

  it('reads a region literal for each country as an import reads a region: codes where it names one, else as written', () => {
    const value = (src: string) => (parseRule(src) as Extract<RuleAst, { kind: 'compare' }>).value;
    expect(value("region = 'CDMX'")).toEqual({ type: 'text', value: 'CDMX', byCountry: { MX: 'CMX' } });
    expect(value("region = 'Ciudad de México'")).toEqual({ type: 'text', value: 'Ciudad de México', byCountry: { MX: 'CMX' } });
    expect(value("region = 'jal'")).toEqual({ type: 'text', value: 'jal', byCountry: { MX: 'JAL' } });
    expect(value("region = 'Amazonas'")).toEqual({ type: 'text', value: 'Amazonas', byCountry: { CO: 'AMA', PE: 'AMA', BR: 'AM' } });
    // Already a code wherever it names a region: nothing to translate.
    expect(value("region = 'JAL'")).toEqual({ type: 'text', value: 'JAL' });
    // Names no region we know: kept as written (composed), as an import keeps the regions of such countries.
    expect(value("region = 'Gala\u0301pagos'")).toEqual({ type: 'text', value: 'Galápagos' });
  });

  it('gives not precedence over and, and and over or', () => {
    const a = "phase = 'judicial'";
    const b = "region = 'JAL'";
    const c = 'on_hold';
    const [pa, pb, pc] = [parseRule(a), parseRule(b), parseRule(c)];
    expect(parseRule(`${a} or ${b} and ${c}`)).toEqual({ kind: 'or', operands: [pa, { kind: 'and', operands: [pb, pc] }] });
    expect(parseRule(`not ${a} and ${b}`)).toEqual({ kind: 'and', operands: [{ kind: 'not', operand: pa }, pb] });
    expect(parseRule(`not (${a} or ${b})`)).toEqual({ kind: 'not', operand: { kind: 'or', operands: [pa, pb] } });
    expect(parseRule(`(${a} or ${b}) and ${c}`)).toEqual({ kind: 'and', operands: [{ kind: 'or', operands: [pa, pb] }, pc] });
    expect(parseRule('not not on_hold')).toEqual({ kind: 'not', operand: { kind: 'not', operand: pc } });
  });

  it('accepts the Spanish keywords y, o, no', () => {
    expect(parseRule("phase = 'judicial' y no on_hold o tags = 'vip'")).toEqual(parseRule("phase = 'judicial' and not on_hold or tags = 'vip'"));
    expect(parseRule("region no in ('JAL')")).toEqual(parseRule("region not in ('JAL')"));
    expect(parseRule('true Y false O NO true')).toEqual(parseRule('true and false or not true'));
  });

  it('accepts <> as a synonym of != and spans several lines', () => {
    expect(parseRule("region <> 'JAL'")).toEqual(parseRule("region != 'JAL'"));
    expect(parseRule("phase = 'judicial'\n  and\ton_hold\r\n")).toEqual(parseRule("phase = 'judicial' and on_hold"));
  });

  it('lists the catalog', () => {
    const names = describeFields().map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['phase', 'bucket', 'days_past_due', 'balance.<CUR>', 'overdue.<CUR>', 'product', 'kind', 'tags', 'region', 'country', 'city', 'postal_code', 'type', 'on_hold', 'attr.<name>']));
    for (const f of describeFields()) expect(f.description.length).toBeGreaterThan(10);
  });
});

describe('parse errors carry position, line and column', () => {
  const cases: Array<[string, string, number]> = [
    ["phase = 'administrative' and balanse.MXN >= 5000", 'unknown field "balanse.MXN"', 29],
    ["region = 'JAL' and balanse >= 5000", 'unknown field "balanse"', 19],
    ['balance.XYZ > 10', 'unknown currency "XYZ" in "balance.XYZ"', 8],
    ['balance.JPY > 10', '"JPY" is an ISO 4217 currency that cobranza does not support yet', 8],
    ['overdue. > 10', 'needs a currency', 8],
    ['balance > 10', '"balance" needs a currency', 0],
    ['attr.1score > 3', 'invalid attribute name "1score"', 5],
    ['days_past_due > 12abc', 'invalid number "12abc"', 16],
    ["days_past_due = 'x'", "type mismatch: days_past_due expects a whole number but 'x' is text", 16],
    ['days_past_due > 30.5', 'days_past_due is a whole number', 16],
    ['phase > 3', '">" cannot be used with phase, which is text', 6],
    ['phase = 3', 'type mismatch: phase expects a quoted text', 8],
    ["phase = 'bogus'", 'unknown phase "bogus"; expected one of preventive, administrative', 8],
    ["bucket in ('1-30', '30-60')", 'unknown bucket "30-60"', 19],
    ['on_hold = 1', 'type mismatch: on_hold expects true or false', 10],
    ['on_hold < true', '"<" cannot be used with on_hold', 8],
    ["product > 'x'", '">" cannot be used with product', 8],
    ["attr.score > 'abc'", '">" needs a number to compare attr.score', 13],
    ['attr.score = true', 'type mismatch: attr.score expects a number or a quoted text', 13],
    ["attr.tier in (1, 'gold')", 'mixes numbers and text', 13],
    ["balance.MXN >= '5000'", 'type mismatch: balance.MXN expects an amount in MXN', 15],
    ['balance.MXN >= 12.345', 'invalid amount for balance.MXN: "12.345" has more than 2 decimals, the most MXN allows', 15],
    ['balance.CLP > 100.5', 'invalid amount for balance.CLP: "100.5" has decimals but CLP has none', 14],
    ['balance.MXN > -5', 'is negative', 14],
    ["city = 'Guadalajara", 'unterminated text literal', 7],
    ["city = 'it''s", 'unterminated text literal', 7],
    ["(phase = 'judicial' or on_hold", 'missing ")" to close this "("', 0],
    ["(phase = 'judicial' on_hold)", 'expected ")" but found "on_hold"', 20],
    ["region in ('JAL', 'NLE'", 'missing ")" to close this list', 10],
    ["region in 'JAL'", 'expected "(" after "in"', 10],
    ['region in ()', 'expected a value in the list', 11],
    ["region in ('JAL',)", 'expected a value after ","', 17],
    ['on_hold garbage', 'unexpected "garbage"', 8],
    ["phase = 'judicial' )", 'unexpected ")" (there is no matching "(")', 19],
    ['days_past_due >=', 'expected a value after ">=" but found the end of the rule', 16],
    ['phase = administrative', 'expected a value after "=" but found "administrative" (text values go in single quotes)', 8],
    ['region', 'expected a comparison operator (=, !=, <, <=, >, >=, in) after "region"', 6],
    ['days_past_due == 3', 'expected a value after "=" but found "="', 15],
    ['and on_hold', 'expected a condition but found "and"', 0],
    ["on_hold and", 'expected a condition but found the end of the rule', 11],
    ['on_hold # x', 'unexpected character "#"', 8],
    ['phase = "judicial"', `unexpected character """ (text values go in single quotes, e.g. 'judicial')`, 8],
    ['region = “JAL”', `unexpected character "“" (text values go in single quotes`, 9],
    ['   ', 'the rule is empty', 3],
    ['región = 1', 'unknown field "región"', 0],
  ];

  it.each(cases)('%s', (source, message, position) => {
    const e = errorOf(source);
    expect(e.message).toContain(message);
    expect(e.position).toBe(position);
    expect(e.message).toMatch(new RegExp(`at line ${e.line}, column ${e.column}$`));
  });

  it('says which field an unknown one most likely meant, in both languages, or lists the fields', () => {
    const hint = (source: string) => {
      const e = errorOf(source);
      return [e.reasonText.en, e.reasonText.es];
    };
    expect(hint("regon = 'JAL'")).toEqual(['unknown field "regon" (did you mean "region"?)', 'campo desconocido "regon" (¿quiso decir "region"?)']);
    expect(hint('balanse.MXN > 1')[0]).toBe('unknown field "balanse.MXN" (did you mean "balance.MXN"?)');
    expect(hint('atr.score > 1')[0]).toBe('unknown field "atr.score" (did you mean "attr.score"?)');
    // The import's Spanish header names, and common abbreviations, point at the field.
    expect(hint('saldo.USD > 5')[1]).toBe('campo desconocido "saldo.USD" (¿quiso decir "balance.USD"?)');
    expect(hint("fase = 'judicial'")[0]).toBe('unknown field "fase" (did you mean "phase"?)');
    expect(hint("región = 'JAL'")[0]).toBe('unknown field "región" (did you mean "region"?)');
    expect(hint('dpd > 30')[0]).toBe('unknown field "dpd" (did you mean "days_past_due"?)');
    // Nothing close: the list of fields.
    expect(hint('xyz = 1')[0]).toBe(
      'unknown field "xyz" (the fields are phase, bucket, days_past_due, product, kind, tags, region, country, city, postal_code, type, on_hold, balance.<CUR>, overdue.<CUR>, attr.<name>)',
    );
    expect(hint('xyz = 1')[1]).toMatch(/^campo desconocido "xyz" \(los campos son phase, bucket, /);
    // An unknown value of a field with a closed set reads naturally in Spanish.
    expect(hint("phase = 'judicail'")[1]).toBe('fase desconocida "judicail"; se esperaba uno de preventive, administrative, extrajudicial, judicial, written_off, settled');
    expect(hint("bucket = '1-29'")[1]).toMatch(/^tramo desconocido "1-29"; se esperaba uno de current, /);
    // A hint never makes a wrong rule pass.
    expect(() => parseRule("regon = 'JAL'")).toThrow(RuleError);
  });

  it('reports 1-based line and column', () => {
    const e = errorOf("phase = 'judicial'\n  and balanse > 5");
    expect(e.line).toBe(2);
    expect(e.column).toBe(7);
    expect(e.position).toBe(25);
    expect(e.message).toBe('unknown field "balanse" (did you mean "balance" with a currency, e.g. balance.MXN?) at line 2, column 7');
    expect(e.reason).toBe('unknown field "balanse" (did you mean "balance" with a currency, e.g. balance.MXN?)');
    expect(errorOf('days_past_due >= ').message).toBe('expected a value after ">=" but found the end of the rule at line 1, column 18');
  });

  it('limits source length and nesting depth', () => {
    const long = `on_hold${' or on_hold'.repeat(MAX_RULE_LENGTH / 10)}`;
    expect(errorOf(long).message).toContain(`rule is too long (${long.length} characters; the limit is ${MAX_RULE_LENGTH})`);
    const deep = `${'('.repeat(MAX_RULE_DEPTH + 1)}on_hold${')'.repeat(MAX_RULE_DEPTH + 1)}`;
    expect(errorOf(deep)).toMatchObject({ position: MAX_RULE_DEPTH });
    expect(errorOf(deep).message).toContain('nested too deeply');
    expect(errorOf(`${'not '.repeat(MAX_RULE_DEPTH + 1)}on_hold`).message).toContain('nested too deeply');
    const ok = `${'('.repeat(MAX_RULE_DEPTH)}on_hold${')'.repeat(MAX_RULE_DEPTH)}`;
    expect(parseRule(ok)).toEqual(parseRule('on_hold'));
  });
});

describe('evaluateRule', () => {
  it('evaluates the documented example', () => {
    const rule = parseRule("phase = 'administrative' and balance.MXN >= 5000 and region in ('JAL','NLE')");
    expect(evaluateRule(rule, facts())).toBe(true);
    expect(evaluateRule(rule, facts({ balances: { MXN: 499999n } }))).toBe(false);
    expect(evaluateRule(rule, facts({ balances: { MXN: 500000n } }))).toBe(true);
    expect(evaluateRule(rule, facts({ balances: { USD: 9999999n } }))).toBe(false);
    expect(evaluateRule(rule, facts({ region: 'CMX' }))).toBe(false);
  });

  it("matches a region's names and codes against the code stored for the account's country", () => {
    const mx = (region: string) => facts({ country: 'MX', region });
    expect(check("region = 'CDMX'", mx('CMX'))).toBe(true);
    expect(check("region = 'Ciudad de Mexico'", mx('CMX'))).toBe(true);
    expect(check("region in ('Jalisco', 'NLE')", mx('JAL'))).toBe(true);
    expect(check("region in ('Jalisco', 'NLE')", mx('NLE'))).toBe(true);
    expect(check("region in ('Jalisco', 'NLE')", mx('CMX'))).toBe(false);
    expect(check("region != 'CDMX'", mx('CMX'))).toBe(false);
    expect(check("region not in ('Nuevo León')", mx('NLE'))).toBe(false);
    // Read for the account's own country: "Metropolitana" is Chile's RM, and no Mexican state.
    expect(check("region = 'Metropolitana'", facts({ country: 'CL', region: 'RM' }))).toBe(true);
    expect(check("region = 'Amazonas'", facts({ country: 'BR', region: 'AM' }))).toBe(true);
    expect(check("region = 'Amazonas'", facts({ country: 'CO', region: 'AMA' }))).toBe(true);
    expect(check("region = 'CDMX'", facts({ country: 'CL', region: 'CMX' }))).toBe(false);
    // Another country's code, and text for a country whose regions we keep no list of, compare as written.
    expect(check("region = 'TX'", facts({ country: 'US', region: 'TX' }))).toBe(true);
    expect(check("region = 'Galápagos'", facts({ country: 'EC', region: 'Galápagos' }))).toBe(true);
  });

  it('treats a missing currency as zero', () => {
    expect(check('balance.USD = 0', facts())).toBe(true);
    expect(check('overdue.CLP < 1', facts())).toBe(true);
    expect(check('not balance.USD > 0', facts())).toBe(true);
  });

  it('makes comparisons on missing values false, and their negation true', () => {
    const f = facts({ region: null, days_past_due: null, type: null });
    for (const src of ["region = 'JAL'", "region != 'JAL'", "region in ('JAL')", "region not in ('JAL')", 'days_past_due >= 0', 'days_past_due < 0', 'days_past_due != 3', 'attr.score > 0', "attr.score != 'x'", 'attr.score not in (1, 2)']) {
      expect(check(src, f), src).toBe(false);
      expect(check(`not ${src}`, f), `not ${src}`).toBe(true);
      expect(check(`no (${src})`, f), `no (${src})`).toBe(true);
    }
  });

  it('reads array fields as "some element" and their negations as "no element"', () => {
    const f = facts({ products: ['credit_card', 'auto_loan'], tags: [] });
    expect(check("product = 'auto_loan'", f)).toBe(true);
    expect(check("product != 'auto_loan'", f)).toBe(false);
    expect(check("product != 'mortgage'", f)).toBe(true);
    expect(check("product in ('mortgage', 'credit_card')", f)).toBe(true);
    expect(check("product not in ('mortgage', 'credit_card')", f)).toBe(false);
    expect(check("tags = 'vip'", f)).toBe(false);
    expect(check("tags != 'vip'", f)).toBe(true);
    expect(check("tags not in ('vip')", f)).toBe(true);
  });

  it('compares tags in any case, keeping accents', () => {
    const f = facts({ tags: ['vip', 'Nómina'] });
    expect(check("tags = 'VIP'", f)).toBe(true);
    expect(check("tags = 'nómina'", f)).toBe(true);
    expect(check("tags = 'NÓMINA'", f)).toBe(true);
    expect(check("tags = 'nomina'", f)).toBe(false);
    expect(check("tags != 'Vip'", f)).toBe(false);
    expect(check("tags in ('DISPUTE', 'Vip')", f)).toBe(true);
    expect(check("tags not in ('VIP')", f)).toBe(false);
    expect(check("tags = 'VIP'", facts({ tags: [] }))).toBe(false);
  });

  it('compares attributes numerically for number literals and textually for strings', () => {
    const f = facts({ attributes: { score: '700.50', tier: 'gold', note: 'n/a', padded: ' 42 ', sci: '1e3' } });
    expect(check('attr.score > 700', f)).toBe(true);
    expect(check('attr.score > 700.5', f)).toBe(false);
    expect(check('attr.score = 700.5', f)).toBe(true);
    expect(check("attr.score = '700.5'", f)).toBe(false);
    expect(check("attr.score = '700.50'", f)).toBe(true);
    expect(check("attr.tier in ('gold', 'platinum')", f)).toBe(true);
    expect(check('attr.note > 0', f)).toBe(false);
    expect(check('attr.note != 0', f)).toBe(false);
    expect(check('attr.padded = 42', f)).toBe(true);
    expect(check('attr.sci = 1000', f)).toBe(false);
    expect(check('attr.constructor = 1', f)).toBe(false);
    expect(check("attr.toString != 'x'", f)).toBe(false);
  });

  it('supports bare and compared boolean fields and constants', () => {
    expect(check('on_hold', facts({ on_hold: true }))).toBe(true);
    expect(check('not on_hold', facts({ on_hold: true }))).toBe(false);
    expect(check('on_hold = false', facts())).toBe(true);
    expect(check('on_hold != false', facts())).toBe(false);
    expect(check('true', facts())).toBe(true);
    expect(check('false or not false', facts())).toBe(true);
  });
});

describe('compileRuleToSql', () => {
  it('emits a two-valued expression with minor-unit literals and an optional alias', () => {
    const ast = parseRule("phase = 'administrative' and balance.MXN >= 5000 and region in ('JAL','NLE')");
    expect(compileRuleToSql(ast, { alias: 'f' })).toBe(
      "(coalesce(f.phase = 'administrative', FALSE) AND coalesce(coalesce((f.balances->>'MXN')::bigint, 0) >= 500000, FALSE) AND coalesce(f.region IN ('JAL', 'NLE'), FALSE))",
    );
    expect(compileRuleToSql(parseRule('not on_hold'))).toBe('(NOT coalesce(on_hold, FALSE))');
  });

  it("compiles a region name to its code for the account's country", () => {
    expect(compileRuleToSql(parseRule("region in ('CDMX', 'NLE')"), { alias: 'f' })).toBe(
      "coalesce(f.region IN ((CASE f.country WHEN 'MX' THEN 'CMX' ELSE 'CDMX' END), 'NLE'), FALSE)",
    );
  });

  it('compiles a tag comparison to a case-folded look at each tag', () => {
    expect(compileRuleToSql(parseRule("tags = 'VIP'"), { alias: 'f' })).toBe(
      "EXISTS (SELECT 1 FROM unnest(f.tags) AS e(v) WHERE translate(e.v, 'ABCDEFGHIJKLMNOPQRSTUVWXYZÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇÝ', 'abcdefghijklmnopqrstuvwxyzáàâäãéèêëíìîïóòôöõúùûüñçý') = 'vip')",
    );
  });

  it('doubles quotes in literals and quotes attribute keys', () => {
    const sql = compileRuleToSql(parseRule("city = 'x''; drop table facts; --' and attr.my_key = 'a\\b'"), { alias: 'f' });
    expect(sql).toBe("(coalesce(f.city = 'x''; drop table facts; --', FALSE) AND coalesce((f.attributes->>'my_key') = 'a\\b', FALSE))");
  });

  it('refuses an alias that is not a plain identifier', () => {
    expect(() => compileRuleToSql(parseRule('on_hold'), { alias: 'f; drop table x' })).toThrow(/invalid SQL alias/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Differential test: the compiled SQL and the JS evaluator must select exactly the same accounts.

const PHASES = ['preventive', 'administrative', 'extrajudicial', 'judicial', 'written_off', 'settled'];
const BUCKETS = ['current', '1-30', '31-60', '61-90', '91-120', '121-180', '181+'];
const REGIONS = ['JAL', 'NLE', 'CMX', 'RM', 'AMA', null, "O'X"];
const PRODUCTS = ['credit_card', 'auto_loan', 'mortgage', 'payroll'];
const KINDS = ['installment', 'revolving', 'fee'];
const TAGS = ['vip', 'VIP', 'dispute', 'promise', "it's", 'Ñandú'];
const SCORES = ['700', '700.0', '650.25', ' 42 ', 'n/a', '', '1e3', '-12', '+800', '999999999999999999999.5'];

function makeRows(): AccountFacts[] {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    // The low bits of this LCG cycle quickly; the high bits are usable (so n must stay below 32768).
    return Math.floor(seed / 65536) % n;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
  const subset = (xs: readonly string[]) => xs.filter(() => rnd(3) === 0);
  const rows: AccountFacts[] = [];
  for (let i = 0; i < 30; i++) {
    const balances: Record<string, bigint> = {};
    const overdue: Record<string, bigint> = {};
    if (rnd(5) > 0) balances.MXN = BigInt(rnd(20_000)) * 100n + BigInt(rnd(100));
    if (rnd(3) === 0) balances.USD = BigInt(rnd(500)) * 100n;
    if (rnd(4) === 0) balances.CLP = BigInt(rnd(9000)) * 100n;
    if (balances.MXN !== undefined && rnd(2) === 0) overdue.MXN = balances.MXN / 2n;
    const attributes: Record<string, string> = {};
    if (rnd(4) > 0) attributes.score = pick(SCORES);
    if (rnd(2) === 0) attributes.tier = pick(['gold', 'silver', "o'neil"]);
    const dpd = rnd(6) === 0 ? null : pick([-3, 0, 10, 30, 31, 45, 90, 181, rnd(200)]);
    rows.push({
      phase: pick(PHASES),
      bucket: pick(BUCKETS),
      days_past_due: dpd,
      balances,
      overdue,
      products: subset(PRODUCTS),
      kinds: subset(KINDS),
      tags: subset(TAGS),
      region: pick(REGIONS),
      country: pick(['MX', 'CL', 'CO', null]),
      city: pick(['Guadalajara', 'Monterrey', null]),
      postal_code: pick(['44100', '64000', null]),
      type: pick(['individual', 'business', null]),
      on_hold: rnd(4) === 0,
      attributes,
    });
  }
  // Hand-picked boundary rows.
  rows.push(facts({ balances: { MXN: 500000n }, region: 'NLE', attributes: { score: '700' } }));
  rows.push(facts({ balances: {}, overdue: {}, products: [], kinds: [], tags: [], region: null, days_past_due: null, attributes: {} }));
  return rows;
}

const RULES = [
  "phase = 'administrative' and balance.MXN >= 5000 and region in ('JAL','NLE')",
  "region != 'JAL'",
  "not region = 'JAL'",
  "region not in ('JAL', 'CMX')",
  "not (region in ('JAL', 'CMX'))",
  "region = 'O''X'",
  "region = 'CDMX'",
  "region in ('Jalisco', 'nuevo leon', 'Metropolitana')",
  "region != 'Ciudad de México'",
  "region not in ('Amazonas', 'RM')",
  'days_past_due > 30',
  'not days_past_due > 30',
  'days_past_due in (0, 10, 45) or days_past_due <= -2',
  'days_past_due != 45',
  'balance.MXN < 5000 or overdue.MXN >= 2500.5',
  'balance.USD > 0 or balance.CLP > 100000',
  "product = 'mortgage'",
  "product != 'mortgage'",
  "product in ('auto_loan', 'payroll') and kind not in ('fee')",
  "tags = 'it''s' o tags = 'vip'",
  "tags not in ('vip', 'dispute')",
  "tags = 'Vip'",
  "tags in ('DISPUTE', 'ñandú')",
  "tags != 'ÑANDÚ'",
  'attr.score > 650',
  'attr.score = 700',
  'not attr.score >= 0',
  'attr.score in (42, -12, 800)',
  'attr.score not in (700)',
  'attr.score > 999999999999999999999',
  "attr.score = '700.0' or attr.tier = 'o''neil'",
  "attr.tier not in ('gold')",
  "on_hold or bucket in ('181+', '121-180')",
  "no on_hold y phase != 'settled' y country = 'mx'",
  "city = 'Monterrey' or postal_code = '44100' or type != 'business'",
  "(phase = 'judicial' or phase = 'extrajudicial') and not (bucket = 'current')",
  'true and not false',
  "city = '''; drop table facts; --'",
];

describe('differential: compiled SQL vs JS evaluator (PGlite)', () => {
  let pg: PGlite;
  const rows = makeRows();
  const toJson = (m: Record<string, bigint>) => JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.toString()])));

  beforeAll(async () => {
    pg = new PGlite();
    await pg.exec(`
      CREATE TABLE facts (
        id integer PRIMARY KEY,
        phase text NOT NULL,
        bucket text NOT NULL,
        days_past_due integer,
        balances jsonb NOT NULL,
        overdue jsonb NOT NULL,
        products text[] NOT NULL,
        kinds text[] NOT NULL,
        tags text[] NOT NULL,
        region text,
        country text,
        city text,
        postal_code text,
        type text,
        on_hold boolean NOT NULL,
        attributes jsonb NOT NULL
      )`);
    for (const [id, r] of rows.entries()) {
      await pg.query(
        'INSERT INTO facts VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)',
        [id, r.phase, r.bucket, r.days_past_due, toJson(r.balances), toJson(r.overdue), r.products, r.kinds, r.tags, r.region, r.country, r.city, r.postal_code, r.type, r.on_hold, JSON.stringify(r.attributes)],
      );
    }
  });

  afterAll(async () => {
    await pg.close();
  });

  it.each(RULES)('%s', async (source) => {
    const ast = parseRule(source);
    const sql = compileRuleToSql(ast, { alias: 'f' });
    const result = await pg.query<{ id: number }>(`SELECT id FROM facts f WHERE ${sql} ORDER BY id`);
    const expected = rows.flatMap((r, id) => (evaluateRule(ast, r) ? [id] : []));
    expect(result.rows.map((r) => r.id)).toEqual(expected);
    // Every compiled expression is two-valued: it is never NULL for any row.
    const nulls = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM facts f WHERE (${sql}) IS NULL`);
    expect(nulls.rows[0]?.n).toBe(0);
  });

  it('the rule set is discriminating (neither all nor none for most rules)', () => {
    const mixed = RULES.filter((src) => {
      const n = rows.filter((r) => evaluateRule(parseRule(src), r)).length;
      return n > 0 && n < rows.length;
    });
    expect(mixed.length).toBeGreaterThanOrEqual(RULES.length - 3);
  });

  it('a literal that tries SQL injection is just text', async () => {
    const sql = compileRuleToSql(parseRule("city = '''; drop table facts; --' or region = 'x'' or 1=1 --'"), { alias: 'f' });
    const result = await pg.query<{ id: number }>(`SELECT id FROM facts f WHERE ${sql}`);
    expect(result.rows).toEqual([]);
    const count = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM facts');
    expect(count.rows[0]?.n).toBe(rows.length);
  });
});
