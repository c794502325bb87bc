import { describe, expect, it } from 'vitest';
import { templateVariablesFromJson, templateVariablesToJson, TemplateVariablesError } from './json.ts';
import { renderTemplate, TemplateRenderError, toWhatsAppTemplateMessage, whatsAppPositionalBody } from './render.ts';
import type { EmailTemplate, LetterTemplate, SmsTemplate, WhatsAppTemplate } from './types.ts';
import { formatMoney, type TemplateVariables } from './variables.ts';

const base: TemplateVariables = {
  debtor: { name: 'Juan Pérez', first_name: 'Juan' },
  creditor: { name: 'Financiera Ejemplo', legal_id: 'FEJ010101AB1', phone: '55 1234 5678' },
  amount: { total: { amount: 125050n, currency: 'MXN' } },
  due_date: '2026-03-15',
  days_past_due: 3,
  payment_link: 'https://pagos.example.mx/p/abc?x=1&y=2',
  portal_link: 'https://portal.example.mx',
  contract: 'CR-001',
  optout_instructions: 'Responda BAJA para no recibir más mensajes.',
};

const email: EmailTemplate = {
  key: 'test',
  channel: 'email',
  language: 'es-MX',
  content: {
    subject: 'Hola {{debtor.name}}, aviso de {{creditor.name}}',
    html: '<p title="{{debtor.name}}">Hola {{debtor.name}}, saldo {{amount.total}}.</p><a href="{{payment_link}}">Pagar</a><p>{{creditor.name}} {{optout_instructions}}</p>',
    text: 'Hola {{debtor.name}}, saldo {{amount.total}}. {{payment_link}}\n{{creditor.name}} {{optout_instructions}}',
  },
};
const sms = (body: string, language: 'es-MX' | 'en' = 'es-MX'): SmsTemplate => ({ key: 'test', channel: 'sms', language, content: { body } });
const TAIL = ' {{creditor.name}} {{optout_instructions}}';

function renderError(fn: () => unknown): TemplateRenderError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateRenderError) return e;
    throw e;
  }
  throw new Error('expected a TemplateRenderError');
}

describe('renderTemplate: escaping', () => {
  const evil = '<script>alert(1)</script> & "Pérez"';
  const vars = { ...base, debtor: { name: evil, first_name: "O'Brien" } };

  it('escapes every value in the HTML part, in text and in attributes', () => {
    const r = renderTemplate(email, vars);
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Pérez&quot;';
    expect(r.html).toContain(`<p title="${escaped}">Hola ${escaped}, saldo $1,250.50.</p>`);
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('<a href="https://pagos.example.mx/p/abc?x=1&amp;y=2">');
    const r2 = renderTemplate({ ...email, content: { ...email.content, html: '<p>{{debtor.first_name}} {{creditor.name}} {{optout_instructions}}</p>' } }, vars);
    expect(r2.html).toContain('O&#39;Brien');
  });

  it('does not escape the subject, the text part, SMS or WhatsApp', () => {
    const r = renderTemplate(email, vars);
    expect(r.subject).toBe(`Hola ${evil}, aviso de Financiera Ejemplo`);
    expect(r.text).toContain(`Hola ${evil}, saldo $1,250.50. https://pagos.example.mx/p/abc?x=1&y=2`);
    expect(renderTemplate(sms('Hola {{debtor.name}}.' + TAIL), vars).body).toContain(`Hola ${evil}.`);
  });

  it('strips control characters and keeps values on one line', () => {
    const vars2 = { ...base, debtor: { name: 'Juan\u0000 \u202EPérez\r\nSTOP\tya\u0007', first_name: 'Juan' } };
    expect(renderTemplate(sms('Hola {{debtor.name}}.' + TAIL), vars2).body).toMatch(/^Hola Juan Pérez STOP ya\. /);
    const r = renderTemplate(email, vars2);
    expect(r.subject).toBe('Hola Juan Pérez STOP ya, aviso de Financiera Ejemplo');
  });

  it('is not fooled by placeholder syntax inside values', () => {
    const vars2 = { ...base, debtor: { name: '{{creditor.legal_id}}', first_name: 'x' } };
    expect(renderTemplate(sms('Hola {{debtor.name}}.' + TAIL), vars2).body).toMatch(/^Hola \{\{creditor\.legal_id\}\}\./);
  });
});

describe('renderTemplate: missing and invalid values', () => {
  it('lists every missing value and never renders "undefined"', () => {
    const vars: TemplateVariables = { ...base, debtor: { name: '   ' }, amount: undefined, due_date: null };
    const e = renderError(() => renderTemplate(sms('Hola {{debtor.name}}, {{amount.total}} al {{due_date}}.' + TAIL), vars));
    expect(e.code).toBe('missing_values');
    expect(e.missing).toEqual(['debtor.name', 'amount.total', 'due_date']);
    expect(e.message).toBe('missing values for debtor.name, amount.total, due_date');
  });

  it('refuses values of the wrong kind', () => {
    const cases: Array<[TemplateVariables, string, RegExp]> = [
      [{ ...base, payment_link: 'javascript:alert(1)' }, 'payment_link', /https/],
      [{ ...base, payment_link: 'http://pagos.example.mx' }, 'payment_link', /https/],
      [{ ...base, payment_link: 'https://user:pw@pagos.example.mx' }, 'payment_link', /credentials/],
      [{ ...base, payment_link: 'pagos.example.mx' }, 'payment_link', /URL/],
      [{ ...base, due_date: '2026-02-30' }, 'due_date', /YYYY-MM-DD/],
      [{ ...base, days_past_due: 2.5 }, 'days_past_due', /whole number/],
      [{ ...base, amount: { total: { amount: 100n, currency: 'XXX' } } }, 'amount.total', /unknown currency/],
      [{ ...base, amount: { total: 100 as never } }, 'amount.total', /expected/],
      [{ ...base, amount: { total: 100n } }, 'amount.total', /currency/],
    ];
    for (const [vars, variable, reason] of cases) {
      const e = renderError(() =>
        renderTemplate(sms('{{payment_link}} {{due_date}} {{days_past_due}} {{amount.total}}' + TAIL), vars),
      );
      expect(e.code).toBe('invalid_values');
      expect(e.invalid.map((i) => i.variable)).toEqual([variable]);
      expect(e.invalid[0]!.reason).toMatch(reason);
    }
  });

  it('refuses to render an invalid template, and bad options', () => {
    const e = renderError(() => renderTemplate(sms('Hola {{debtor.nombre}}' + TAIL), base));
    expect(e.code).toBe('invalid_template');
    expect(e.problems[0]).toMatchObject({ code: 'unknown_variable', variable: 'debtor.nombre', line: 1, column: 6 });
    expect(renderError(() => renderTemplate(sms('x' + TAIL), base, { locale: 'not a locale' })).code).toBe('invalid_options');
    expect(renderError(() => renderTemplate(sms('x' + TAIL), base, { currency: 'XYZ' })).code).toBe('invalid_options');
  });
});

describe('renderTemplate: sections', () => {
  const body = '{{creditor.name}}{{#agency.name}} vía {{agency.name}} ({{agency.identification}}){{/agency.name}}: hola. {{optout_instructions}}';
  it('keeps a section only when its variable has a value; its content is then required', () => {
    expect(renderTemplate(sms(body), base).body).toBe('Financiera Ejemplo: hola. Responda BAJA para no recibir más mensajes.');
    expect(renderTemplate(sms(body), { ...base, agency: { name: 'Despacho X', identification: 'REG-1' } }).body).toBe(
      'Financiera Ejemplo vía Despacho X (REG-1): hola. Responda BAJA para no recibir más mensajes.',
    );
    expect(renderError(() => renderTemplate(sms(body), { ...base, agency: { name: 'Despacho X' } })).missing).toEqual(['agency.identification']);
  });

  it('drops letter paragraphs left empty, and keeps one period after a value ending in one', () => {
    const letter: LetterTemplate = {
      key: 'k',
      channel: 'letter',
      language: 'es-MX',
      content: { title: 'Aviso de {{creditor.name}}', body: ['Hola.', '{{#agency.name}}De {{agency.name}}.{{/agency.name}}', 'Adiós.'] },
    };
    expect(renderTemplate(letter, base).body).toEqual(['Hola.', 'Adiós.']);
    expect(renderTemplate(letter, { ...base, agency: { name: 'Cobros S.A.' } }).body).toEqual(['Hola.', 'De Cobros S.A.', 'Adiós.']);
  });
});

describe('money formatting', () => {
  it('formats each currency for the locale from the exact decimal', () => {
    expect(formatMoney(125050n, 'MXN', 'es-MX')).toBe('$1,250.50');
    expect(formatMoney(150000n, 'CLP', 'es-CL')).toBe('$150.000');
    expect(formatMoney(125000050n, 'COP', 'es-CO')).toBe('$\u00a01.250.000,50');
    expect(formatMoney(125000000n, 'COP', 'es-CO')).toBe('$\u00a01.250.000');
    expect(formatMoney(1999n, 'USD', 'en-US')).toBe('$19.99');
    expect(formatMoney(1999n, 'USD', 'en')).toBe('$19.99');
    expect(formatMoney(125050n, 'MXN', 'en')).toBe('MX$1,250.50');
    expect(formatMoney(36000n, 'UF', 'es-CL')).toMatch(/^CLF\s3,6000$/);
    expect(formatMoney(-5n, 'MXN', 'es-MX')).toBe('-$0.05');
  });

  it('never rounds: decimals Intl would drop are kept, and huge amounts are exact', () => {
    // Intl's default for COP outside Colombia is 0 decimals ("COP 1,251"); the amount has cents, so they show.
    expect(formatMoney(125050n, 'COP', 'es-MX')).toMatch(/^COP\s1,250\.50$/);
    expect(formatMoney(1234567890123456789n, 'MXN', 'es-MX')).toBe('$12,345,678,901,234,567.89');
  });

  const amountSms = sms('Saldo: {{amount.total}}.' + TAIL);
  const render = (total: NonNullable<TemplateVariables['amount']>['total'], options = {}) =>
    renderTemplate(amountSms, { ...base, amount: { total } }, options).body.split(' Financiera')[0];

  it('renders money in every accepted shape', () => {
    expect(render({ amount: 125050n, currency: 'MXN' })).toBe('Saldo: $1,250.50.');
    expect(render({ amount: 150000n, currency: 'CLP' }, { locale: 'es-CL' })).toBe('Saldo: $150.000.');
    // SMS turns Intl's no-break spaces into plain spaces (GSM-7).
    expect(render({ COP: 125000050n }, { locale: 'es-CO' })).toBe('Saldo: $ 1.250.000,50.');
    expect(render(1999n, { locale: 'en-US', currency: 'USD' })).toBe('Saldo: $19.99.');
    expect(render([{ amount: 100n, currency: 'MXN' }, { amount: 25n, currency: 'MXN' }])).toBe('Saldo: $1.25.');
  });

  it('joins several currencies as a list in the locale, the primary currency first, zeros left out', () => {
    const two = new Map([['USD', 1999n], ['MXN', 125050n]]);
    expect(render(two)).toMatch(/^Saldo: \$1,250\.50 y (US\$|USD )19\.99\.$/);
    expect(render(two, { currency: 'USD' })).toMatch(/^Saldo: (US\$|USD )19\.99 y \$1,250\.50\.$/);
    expect(render(two, { locale: 'en' })).toBe('Saldo: MX$1,250.50 and $19.99.');
    expect(render({ MXN: 125050n, USD: 0n })).toBe('Saldo: $1,250.50.');
    expect(render({ MXN: 0n, USD: 0n })).toBe('Saldo: $0.00.');
    expect(renderError(() => render({}))).toMatchObject({ code: 'missing_values', missing: ['amount.total'] });
  });
});

describe('dates and counts', () => {
  const dated = (language: 'es-MX' | 'en') => sms('Vence {{due_date}}, atraso {{days_past_due}}.' + TAIL, language);
  it('writes a long date in the template language', () => {
    expect(renderTemplate(dated('es-MX'), base).body).toMatch(/^Vence 15 de marzo de 2026, atraso 3\./);
    expect(renderTemplate(dated('es-MX'), base, { locale: 'es-CL' }).body).toMatch(/^Vence 15 de marzo de 2026,/);
    expect(renderTemplate(dated('en'), base).body).toMatch(/^Vence March 15, 2026,/);
    // An English template rendered with Mexican amounts still gets an English date.
    expect(renderTemplate(dated('en'), base, { locale: 'es-MX' }).body).toMatch(/^Vence March 15, 2026,/);
    expect(renderTemplate(dated('es-MX'), base, { locale: 'en-US' }).body).toMatch(/^Vence 15 de marzo de 2026,/);
    expect(renderTemplate(dated('es-MX'), { ...base, days_past_due: 1234 }).body).toMatch(/atraso 1,234\./);
  });
});

describe('SMS rendering', () => {
  it('reports GSM-7 for plain text and UCS-2 for accents', () => {
    const en = { ...base, debtor: { name: 'John Smith', first_name: 'John' }, optout_instructions: 'Reply STOP to opt out.' };
    expect(renderTemplate(sms('Hi {{debtor.first_name}}, pay {{amount.total}} here: {{payment_link}}' + TAIL, 'en'), en).segments).toMatchObject({
      encoding: 'GSM-7',
      segments: 1,
    });
    expect(renderTemplate(sms('Hola {{debtor.first_name}}, pague aquí.' + TAIL), en).segments).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(renderTemplate(sms('Hola {{debtor.name}}.' + TAIL), base).segments).toMatchObject({ encoding: 'UCS-2' });
  });

  it('refuses a body over the segment limit', () => {
    const long = { ...base, debtor: { name: 'á'.repeat(400), first_name: 'x' } };
    const e = renderError(() => renderTemplate(sms('Hola {{debtor.name}}.' + TAIL), long));
    expect(e.code).toBe('sms_too_long');
    expect(e.segments).toMatchObject({ encoding: 'UCS-2', segments: 7 });
    expect(renderError(() => renderTemplate(sms('Hola {{debtor.name}}.' + TAIL), base, { maxSmsSegments: 1 })).code).toBe('sms_too_long');
    expect(renderTemplate(sms('Hola {{debtor.name}}.' + TAIL), long, { maxSmsSegments: 10 }).segments.segments).toBe(7);
  });
});

describe('WhatsApp', () => {
  const wa: WhatsAppTemplate = {
    key: 'due_today',
    channel: 'whatsapp',
    language: 'es-MX',
    content: {
      approved: { name: 'due_today', language: 'es_MX', category: 'utility' },
      body: 'Hola {{ debtor.first_name }}, {{creditor.name}} le recuerda: {{amount.total}} vence hoy. Gracias, {{debtor.first_name}}. Pague en {{payment_link}} por favor.',
    },
  };

  it('maps named placeholders to positional parameters in order of first appearance', () => {
    expect(whatsAppPositionalBody(wa)).toEqual({
      name: 'due_today',
      language: 'es_MX',
      category: 'utility',
      body: 'Hola {{1}}, {{2}} le recuerda: {{3}} vence hoy. Gracias, {{1}}. Pague en {{4}} por favor.',
      variables: ['debtor.first_name', 'creditor.name', 'amount.total', 'payment_link'],
    });
    expect(toWhatsAppTemplateMessage(wa, base)).toEqual({
      name: 'due_today',
      language: 'es_MX',
      bodyParameters: ['Juan', 'Financiera Ejemplo', '$1,250.50', 'https://pagos.example.mx/p/abc?x=1&y=2'],
    });
  });

  it('renders a preview and keeps parameters single-line and unescaped', () => {
    const r = renderTemplate(wa, { ...base, debtor: { name: 'x', first_name: 'Ana\n\n   <b>  María' } });
    expect(r.bodyParameters[0]).toBe('Ana <b> María');
    expect(r.body).toBe('Hola Ana <b> María, Financiera Ejemplo le recuerda: $1,250.50 vence hoy. Gracias, Ana <b> María. Pague en https://pagos.example.mx/p/abc?x=1&y=2 por favor.');
  });

  it('reports missing parameters', () => {
    expect(renderError(() => toWhatsAppTemplateMessage(wa, { ...base, payment_link: undefined })).missing).toEqual(['payment_link']);
  });
});

describe('variables as JSON', () => {
  it('round-trips amounts as decimal strings per currency', () => {
    const vars: TemplateVariables = { ...base, amount: { total: { amount: 125050n, currency: 'MXN' }, overdue: new Map([['USD', 1999n], ['CLP', 15000n]]) } };
    const json = templateVariablesToJson(vars);
    expect(json.amount).toEqual({ total: { MXN: '1250.50' }, overdue: { CLP: '15000', USD: '19.99' } });
    const back = templateVariablesFromJson(JSON.parse(JSON.stringify(json)));
    expect(renderTemplate(sms('{{amount.total}} / {{amount.overdue}}' + TAIL), back).body).toMatch(/^\$1,250\.50 \/ CLP\s15,000 y (US\$|USD )19\.99 /);
    expect(back.debtor).toEqual(base.debtor);
  });

  it('refuses malformed JSON values', () => {
    expect(() => templateVariablesFromJson({ amount: { total: { MXN: 1250.5 } } })).toThrow(TemplateVariablesError);
    expect(() => templateVariablesFromJson({ amount: { total: { MXN: '1250.505' } } })).toThrow(/more than 2 decimals/);
    expect(() => templateVariablesFromJson({ debtor: { name: 5 } })).toThrow(/debtor.name must be text/);
    expect(() => templateVariablesFromJson([])).toThrow(TemplateVariablesError);
    expect(() => templateVariablesFromJson({ payment: { amount: { CLP: '10.5' } } })).toThrow(/payment\.amount\.CLP/);
    expect(() => templateVariablesFromJson({ payment: 'x' })).toThrow(/payment must be an object/);
  });

  it('round-trips the payment a thank-you is about', () => {
    const json = templateVariablesToJson({ payment: { amount: { amount: 125050n, currency: 'MXN' }, date: '2026-03-11' } });
    expect(json.payment).toEqual({ amount: { MXN: '1250.50' }, date: '2026-03-11' });
    const back = templateVariablesFromJson(JSON.parse(JSON.stringify(json)));
    expect(renderTemplate(sms('{{creditor.name}} {{payment.amount}} el {{payment.date}}' + TAIL), { ...base, ...back }).body).toMatch(/\$1,250\.50 el 11 de marzo de 2026/);
  });
});
