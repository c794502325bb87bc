import { describe, expect, it } from 'vitest';
import type { EmailTemplate, LetterTemplate, SmsTemplate, Template, WhatsAppTemplate } from './types.ts';
import { validateTemplate } from './validate.ts';
import { describeVariables, VARIABLE_NAMES } from './variables.ts';

const sms = (body: string): SmsTemplate => ({ key: 'test', channel: 'sms', language: 'es-MX', content: { body } });
const email = (html: string, text = '{{creditor.name}} {{optout_instructions}}', subject = 'Aviso de {{creditor.name}}'): EmailTemplate => ({
  key: 'test',
  channel: 'email',
  language: 'es-MX',
  content: { subject, html, text },
});
const whatsapp = (body: string, approved: Partial<WhatsAppTemplate['content']['approved']> = {}): WhatsAppTemplate => ({
  key: 'test',
  channel: 'whatsapp',
  language: 'es-MX',
  content: { approved: { name: 'recordatorio', language: 'es_MX', category: 'utility', ...approved }, body },
});
const OK_SMS_TAIL = ' {{creditor.name}} {{optout_instructions}}';
const codes = (t: Template) => validateTemplate(t).map((p) => p.code);

describe('variable catalogue', () => {
  it('is closed and documented in Spanish and English', () => {
    expect(VARIABLE_NAMES).toHaveLength(19);
    for (const v of describeVariables()) {
      expect(v.description['es-MX'].length).toBeGreaterThan(10);
      expect(v.description.en.length).toBeGreaterThan(10);
    }
  });
});

describe('validateTemplate: syntax', () => {
  it('accepts spaces inside the braces or none', () => {
    expect(validateTemplate(sms('Hola {{debtor.first_name}} y {{ debtor.name }} y {{  contract}}.' + OK_SMS_TAIL))).toEqual([]);
  });

  it('refuses unknown variables with their position and a suggestion', () => {
    const problems = validateTemplate(sms('Hola {{ debtor.nmae }},\nsu saldo es {{saldo}} y {{Name}}.' + OK_SMS_TAIL));
    expect(problems.map((p) => [p.code, p.variable, p.offset, p.line, p.column, p.suggestion])).toEqual([
      ['unknown_variable', 'debtor.nmae', 5, 1, 6, 'debtor.name'],
      ['unknown_variable', 'saldo', 36, 2, 13, undefined],
      ['unknown_variable', 'Name', 48, 2, 25, 'debtor.name'],
    ]);
    expect(problems[0]!.message).toBe('Unknown variable "debtor.nmae". Did you mean "debtor.name"? (body, line 1, column 6)');
    expect(problems[1]!.field).toBe('body');
  });

  it('gives the messages in Spanish on request', () => {
    const [p] = validateTemplate(sms('Hola {{debtor.nmae}}' + OK_SMS_TAIL), { messages: 'es-MX' });
    expect(p!.message).toBe('Variable desconocida "debtor.nmae". ¿Quiso decir "debtor.name"? (cuerpo, línea 1, columna 6)');
  });

  it('refuses unbalanced braces', () => {
    expect(validateTemplate(sms('Hola {{debtor.name' + OK_SMS_TAIL)).map((p) => [p.code, p.offset])).toEqual([['unclosed_placeholder', 5]]);
    expect(validateTemplate(sms('Hola debtor.name}} ' + OK_SMS_TAIL)).map((p) => [p.code, p.offset])).toEqual([['unopened_placeholder', 16]]);
    expect(validateTemplate(sms('Hola {{debtor.name {{contract}}' + OK_SMS_TAIL)).map((p) => [p.code, p.offset])).toEqual([['unclosed_placeholder', 5]]);
    expect(validateTemplate(sms('Hola {debtor.name}}' + OK_SMS_TAIL)).map((p) => p.code)).toEqual(['unopened_placeholder']);
    expect(validateTemplate(sms('Hola {{debtor.name}' + OK_SMS_TAIL)).map((p) => p.code)).toContain('unclosed_placeholder');
    expect(validateTemplate(sms('Hola {{debtor.name' + OK_SMS_TAIL))[0]!.message).toMatch(/Unbalanced braces/);
  });

  it('refuses triple braces, empty placeholders, filters and expressions', () => {
    expect(codes(sms('Hola {{{debtor.name}}}' + OK_SMS_TAIL))).toEqual(['triple_braces']);
    expect(codes(sms('Hola {{ }}' + OK_SMS_TAIL))).toEqual(['empty_placeholder']);
    expect(codes(sms('Hola {{ debtor.name | upper }}' + OK_SMS_TAIL))).toEqual(['invalid_placeholder']);
    expect(codes(sms('Hola {{ constructor.constructor("x")() }}' + OK_SMS_TAIL))).toEqual(['invalid_placeholder']);
    expect(codes(sms('Hola {{__proto__}}' + OK_SMS_TAIL))).toEqual(['unknown_variable']);
  });

  it('checks sections', () => {
    expect(codes(sms('{{#agency.name}}vía {{agency.name}}{{/agency.name}}' + OK_SMS_TAIL))).toEqual([]);
    expect(codes(sms(OK_SMS_TAIL + '{{#agency.name}}vía {{agency.name}}'))).toEqual(['unclosed_section']);
    expect(codes(sms('vía {{agency.name}}{{/agency.name}}' + OK_SMS_TAIL))).toEqual(['unopened_section']);
    expect(codes(sms('{{#agency.name}}{{#contract}}x{{/agency.name}}{{/contract}}' + OK_SMS_TAIL))).toEqual(['mismatched_section', 'unopened_section']);
    expect(codes(sms('{{#agencia}}x{{/agencia}}' + OK_SMS_TAIL))).toEqual(['unknown_variable', 'unknown_variable']);
  });
});

describe('validateTemplate: shape and text', () => {
  it('refuses a bad key, channel, language or missing fields', () => {
    expect(codes({ key: 'Bad Key', channel: 'sms', language: 'es-MX', content: { body: 'x' + OK_SMS_TAIL } })).toEqual(['invalid_key']);
    expect(codes({ key: 'k', channel: 'fax', language: 'es-MX', content: {} } as unknown as Template)).toEqual(['invalid_channel']);
    expect(codes({ key: 'k', channel: 'sms', language: 'pt-BR', content: { body: 'x' + OK_SMS_TAIL } } as unknown as Template)).toEqual(['invalid_language']);
    expect(codes({ key: 'k', channel: 'email', language: 'en', content: { subject: 'x', html: '  ' } } as unknown as Template)).toEqual(
      expect.arrayContaining(['empty_field', 'missing_field']),
    );
    const letter: LetterTemplate = { key: 'k', channel: 'letter', language: 'en', content: { title: 'T', body: [] } };
    expect(codes(letter)).toContain('empty_field');
  });

  it('refuses control characters and line breaks in one-line fields', () => {
    expect(codes(sms('Hola\u0007' + OK_SMS_TAIL))).toEqual(['control_character']);
    expect(codes(sms('Hola \u202Eevil' + OK_SMS_TAIL))).toEqual(['control_character']);
    expect(codes(email('<p>{{creditor.name}} {{optout_instructions}}</p>', undefined, 'Aviso\nde {{creditor.name}}'))).toEqual(['line_break']);
  });

  it('requires the creditor and, in email and SMS, the opt-out', () => {
    expect(codes(sms('Hola {{debtor.name}} {{optout_instructions}}'))).toEqual(['creditor_not_identified']);
    expect(codes(sms('Hola {{debtor.name}} {{creditor.name}}'))).toEqual(['optout_missing']);
    // Inside a section the creditor may not be named at all: it does not count.
    expect(codes(sms('{{#agency.name}}{{creditor.name}}{{/agency.name}} {{optout_instructions}}'))).toEqual(['creditor_not_identified']);
    expect(validateTemplate(email('<p>{{creditor.name}}</p>')).map((p) => [p.code, p.field])).toEqual([['optout_missing', 'html']]);
    const letter: LetterTemplate = { key: 'k', channel: 'letter', language: 'en', content: { title: 'From {{creditor.name}}', body: ['Hello.'] } };
    expect(codes(letter)).toEqual([]);
  });

  it('refuses prohibited wording in the fixed text, with its position', () => {
    const problems = validateTemplate(sms('Evite una DEMANDA y el reporte al Buró de Crédito.' + OK_SMS_TAIL));
    expect(problems.map((p) => [p.code, p.phrase, p.offset])).toEqual([
      ['prohibited_wording', 'demanda', 10],
      ['prohibited_wording', 'buro de credito', 34],
    ]);
    expect(codes(sms('Pague su saldo.' + OK_SMS_TAIL))).toEqual([]);
    // Whole words only: "issue" is not "sue", "demandante"-like words are matched only when listed.
    expect(codes({ key: 'k', channel: 'sms', language: 'en', content: { body: 'No issue with your account.' + OK_SMS_TAIL } })).toEqual([]);
  });

  it('refuses an SMS whose fixed text alone exceeds the segment limit', () => {
    expect(codes(sms('á'.repeat(67 * 6 + 1) + OK_SMS_TAIL))).toEqual(['sms_too_long']);
    expect(codes(sms('á'.repeat(67 * 2) + OK_SMS_TAIL))).toEqual([]);
    expect(validateTemplate(sms('á'.repeat(67 * 2 + 1) + OK_SMS_TAIL), { maxSmsSegments: 2 }).map((p) => p.code)).toEqual(['sms_too_long']);
  });
});

describe('validateTemplate: HTML placement', () => {
  const tail = '<p>{{creditor.name}} {{optout_instructions}}</p>';
  it('allows placeholders in text and quoted attribute values', () => {
    expect(codes(email(`<p class="x">Hola {{debtor.name}}</p><a href="{{payment_link}}" title="{{contract}}">Pagar</a>${tail}`))).toEqual([]);
    expect(codes(email(`<a href='{{portal_link}}'>Portal</a>${tail}`))).toEqual([]);
  });

  it('refuses placeholders where escaping does not protect them', () => {
    const cases: Array<[string, string]> = [
      ['<a href={{payment_link}}>x</a>', 'html_unsafe_context'],
      ['<p {{debtor.name}}>x</p>', 'html_unsafe_context'],
      ['<{{debtor.name}}>', 'html_unsafe_context'],
      ['<!-- {{debtor.name}} -->', 'html_unsafe_context'],
      ['<style>p { color: {{contract}} }</style>', 'html_unsafe_context'],
      ['<p style="color: {{contract}}">x</p>', 'html_style_attribute'],
      ['<a href="{{contract}}">x</a>', 'html_url_attribute'],
      ['<a href="https://x.example/?c={{contract}}">x</a>', 'html_url_attribute'],
      ['<a href="javascript:{{payment_link}}">x</a>', 'html_url_attribute'],
      ['<img src="{{debtor.name}}">', 'html_url_attribute'],
      ['<a onclick="go()">x</a>', 'html_event_handler'],
      ['<script>var a = 1;</script>', 'html_script'],
    ];
    for (const [html, code] of cases) expect(codes(email(html + tail)), html).toContain(code);
    const [p] = validateTemplate(email(`<p>ok</p>\n<a href={{payment_link}}>x</a>${tail}`));
    expect([p!.code, p!.line, p!.column]).toEqual(['html_unsafe_context', 2, 9]);
  });
});

describe('validateTemplate: WhatsApp', () => {
  it('accepts a proper approved template', () => {
    expect(codes(whatsapp('Hola {{debtor.first_name}}, {{creditor.name}} le recuerda su pago. Gracias.'))).toEqual([]);
  });

  it("applies Meta's body rules", () => {
    expect(codes(whatsapp('{{debtor.first_name}}, {{creditor.name}} le recuerda su pago.'))).toEqual(['whatsapp_edge_placeholder']);
    expect(codes(whatsapp('Hola, {{creditor.name}} le recuerda su pago {{payment_link}}'))).toEqual(['whatsapp_edge_placeholder']);
    expect(codes(whatsapp('Hola {{debtor.first_name}} {{creditor.name}}, gracias.'))).toEqual(['whatsapp_adjacent_placeholders']);
    expect(codes(whatsapp('Hola {{#agency.name}}x{{/agency.name}} de {{creditor.name}}.'))).toEqual(['section_not_allowed']);
    expect(codes(whatsapp(`Hola {{creditor.name}} ${'x'.repeat(1020)}`))).toEqual(['whatsapp_body_too_long']);
  });

  it('checks the approved template reference', () => {
    const body = 'Hola {{debtor.first_name}}, {{creditor.name}} le recuerda su pago.';
    expect(codes(whatsapp(body, { name: 'Recordatorio Pago' }))).toEqual(['whatsapp_invalid_name']);
    expect(codes(whatsapp(body, { language: 'es-MX' }))).toEqual(['whatsapp_invalid_language']);
    expect(codes(whatsapp(body, { category: 'promo' as never }))).toEqual(['whatsapp_invalid_category']);
    expect(codes(whatsapp(body, { header: 'image' as never }))).toEqual(['whatsapp_invalid_header']);
    expect(codes(whatsapp(body, { header: 'document' }))).toEqual([]);
  });
});
