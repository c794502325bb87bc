import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE_KEYS, DEFAULT_TEMPLATES, defaultTemplate } from './defaults.ts';
import { renderTemplate, toWhatsAppTemplateMessage, whatsAppPositionalBody, type RenderedContent } from './render.ts';
import { TEMPLATE_LANGUAGES, type Template, type TemplateLanguage } from './types.ts';
import { validateTemplate } from './validate.ts';
import { VARIABLE_NAMES, type TemplateVariables } from './variables.ts';
import { findProhibitedWording } from './wording.ts';

/**
 * Written out here on purpose, independent of wording.ts: threats, anything judicial-looking, credit-bureau threats,
 * disparaging labels (DOMAIN.md §3). Matched as whole words, ignoring case and accents.
 */
const FORBIDDEN_ES = [
  'demanda', 'demandar', 'demandaremos', 'embargo', 'embargar', 'juzgado', 'juez', 'tribunal', 'juicio', 'judicial',
  'extrajudicial', 'cárcel', 'prisión', 'arresto', 'policía', 'ministerio público', 'delito', 'fraude', 'denuncia',
  'abogado', 'abogados', 'acciones legales', 'acción legal', 'proceso legal', 'buró', 'buró de crédito',
  'círculo de crédito', 'dicom', 'datacrédito', 'infocorp', 'lista negra', 'notificación', 'requerimiento',
  'emplazamiento', 'expediente', 'último aviso', 'advertencia', 'consecuencias', 'amenaza', 'moroso', 'morosa',
  'vergüenza', 'vecinos', 'empleador', 'remate',
];
const FORBIDDEN_EN = [
  'lawsuit', 'sue', 'sued', 'court', 'judge', 'judgment', 'judicial', 'legal action', 'attorney', 'lawyer', 'garnish',
  'garnishment', 'seize', 'seizure', 'arrest', 'jail', 'prison', 'police', 'criminal', 'fraud', 'credit bureau',
  'credit report', 'credit score', 'blacklist', 'warrant', 'subpoena', 'summons', 'repossess', 'final warning',
  'warning', 'consequences', 'threat', 'deadbeat', 'delinquent', 'your employer', 'shame',
];

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
function forbiddenIn(text: string): string[] {
  const folded = fold(text);
  return [...FORBIDDEN_ES, ...FORBIDDEN_EN].filter((w) => new RegExp(`(?<![\\p{L}\\p{N}])${fold(w).replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}])`, 'u').test(folded));
}

function templateText(t: Template): string {
  switch (t.channel) {
    case 'email': return [t.content.subject, t.content.html, t.content.text].join('\n');
    case 'sms': return t.content.body;
    case 'whatsapp': return t.content.body;
    case 'letter': return [t.content.title, ...t.content.body].join('\n');
  }
}
function renderedText(r: RenderedContent): string {
  switch (r.channel) {
    case 'email': return [r.subject, r.html, r.text].join('\n');
    case 'sms': return r.body;
    case 'whatsapp': return [r.body, ...r.bodyParameters].join('\n');
    case 'letter': return [r.title, ...r.body].join('\n');
  }
}

const SAMPLE: Record<TemplateLanguage, TemplateVariables> = {
  'es-MX': {
    debtor: { name: 'María Fernanda López', first_name: 'María' },
    creditor: { name: 'Financiera Ejemplo', legal_id: 'FEJ010101AB1', phone: '55 1234 5678' },
    agency: { name: 'Despacho Cobranza Amable', identification: 'Registro CONDUSEF 1234' },
    amount: { total: { amount: 125050n, currency: 'MXN' }, overdue: { MXN: 50000n, USD: 1999n }, minimum: { amount: 20000n, currency: 'MXN' } },
    due_date: '2026-03-15',
    days_past_due: 12,
    payment_link: 'https://pagos.example.mx/p/abc123',
    portal_link: 'https://portal.example.mx',
    contract: 'CR-000123',
    payment: { amount: { amount: 60000n, currency: 'MXN' }, date: '2026-03-20' },
    resolution: 'el pago que menciona se aplicó a otro contrato',
    optout_instructions: 'Para no recibir más mensajes, responda BAJA.',
  },
  en: {
    debtor: { name: 'John Smith', first_name: 'John' },
    creditor: { name: 'Acme Lending', legal_id: '12-3456789', phone: '+1 555 0100' },
    agency: { name: 'Fair Recovery LLC', identification: 'License 98765' },
    amount: { total: { amount: 125050n, currency: 'USD' }, overdue: { amount: 50000n, currency: 'USD' }, minimum: { USD: 20000n } },
    due_date: '2026-03-15',
    days_past_due: 12,
    payment_link: 'https://pay.example.com/p/abc123',
    portal_link: 'https://portal.example.com',
    contract: 'LN-000123',
    payment: { amount: { amount: 60000n, currency: 'USD' }, date: '2026-03-20' },
    resolution: 'the payment you mention went to another account',
    optout_instructions: 'Reply STOP to opt out.',
  },
};
const NOTICES: readonly string[] = ['agreement_sent', 'dispute_rejected', 'dispute_upheld'];
const withoutAgency = (v: TemplateVariables): TemplateVariables => ({ ...v, agency: undefined });

describe('default templates', () => {
  it('cover every key in email, SMS and WhatsApp in both languages, plus the final-notice letter', () => {
    for (const key of DEFAULT_TEMPLATE_KEYS) {
      for (const language of TEMPLATE_LANGUAGES) {
        for (const channel of ['email', 'sms', 'whatsapp'] as const) expect(defaultTemplate(key, channel, language), `${key} ${channel} ${language}`).toBeDefined();
        expect(defaultTemplate(key, 'letter', language) !== undefined).toBe(key === 'final_notice_before_extrajudicial');
      }
    }
    expect(DEFAULT_TEMPLATES).toHaveLength(12 * 3 * 2 + 2);
    const ids = DEFAULT_TEMPLATES.map((t) => `${t.key}/${t.channel}/${t.language}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.isFrozen(DEFAULT_TEMPLATES[0]!.content)).toBe(true);
  });

  it('contain none of the forbidden words or phrases (Spanish and English)', () => {
    for (const t of DEFAULT_TEMPLATES) {
      expect(forbiddenIn(templateText(t)), `${t.key} ${t.channel} ${t.language}`).toEqual([]);
      expect(findProhibitedWording(templateText(t)), `${t.key} ${t.channel} ${t.language}`).toEqual([]);
    }
  });

  it('the forbidden-word scan itself catches what it should', () => {
    expect(forbiddenIn('Evite la DEMANDA y el Buró de Crédito')).toEqual(['demanda', 'buró', 'buró de crédito']);
    expect(forbiddenIn('We may take legal   action in court')).toEqual(['court', 'legal action']);
    expect(forbiddenIn('No issue, pague hoy; la demandante')).toEqual([]);
  });

  it('every default validates and renders in both languages, with and without an agency', () => {
    for (const t of DEFAULT_TEMPLATES) {
      const label = `${t.key} ${t.channel} ${t.language}`;
      expect(validateTemplate(t), label).toEqual([]);
      for (const language of TEMPLATE_LANGUAGES) {
        for (const vars of [SAMPLE[language], withoutAgency(SAMPLE[language])]) {
          const text = renderedText(renderTemplate(t, vars));
          expect(text, label).not.toMatch(/undefined|null|NaN|\{\{|\}\}/);
          expect(text, label).toContain(vars.creditor!.name!);
          expect(forbiddenIn(text), label).toEqual([]);
        }
      }
    }
  });

  it('identify the agency when there is one (email, SMS, letter) and the contract everywhere (but the WhatsApp thank-you)', () => {
    for (const t of DEFAULT_TEMPLATES) {
      const vars = SAMPLE[t.language];
      const text = renderedText(renderTemplate(t, vars));
      if (!(t.key === 'payment_received' && t.channel === 'whatsapp')) expect(text, `${t.key} ${t.channel}`).toContain(vars.contract!);
      if (t.channel === 'whatsapp') continue;
      expect(text).toContain(vars.agency!.name!);
      if (t.channel !== 'sms') expect(text).toContain(vars.agency!.identification!);
      expect(renderedText(renderTemplate(t, withoutAgency(vars)))).not.toContain(vars.agency!.name!);
    }
  });

  it('every email and SMS carries the opt-out; every WhatsApp body ends with the BAJA/STOP line', () => {
    for (const t of DEFAULT_TEMPLATES) {
      const vars = SAMPLE[t.language];
      const r = renderTemplate(t, vars);
      if (r.channel === 'email') {
        expect(r.html).toContain(vars.optout_instructions!.replace(/'/g, '&#39;'));
        expect(r.text).toContain(vars.optout_instructions!);
      }
      if (r.channel === 'sms') expect(r.body.endsWith(vars.optout_instructions!)).toBe(true);
      if (r.channel === 'whatsapp') expect(r.body).toMatch(t.language === 'en' ? /reply STOP\.$/ : /responda BAJA\.$/);
    }
  });

  it('reminders carry the payment link; the thank-you and the agreement link to the portal; notices never ask for payment', () => {
    for (const t of DEFAULT_TEMPLATES) {
      if (t.channel === 'letter' && t.key !== 'final_notice_before_extrajudicial') continue;
      const text = renderedText(renderTemplate(t, SAMPLE[t.language]));
      const label = `${t.key} ${t.channel} ${t.language}`;
      if (NOTICES.includes(t.key)) {
        expect(text, label).not.toContain(SAMPLE[t.language].payment_link!);
        if (t.key === 'agreement_sent' || t.channel === 'email') expect(text, label).toContain(SAMPLE[t.language].portal_link!);
        continue;
      }
      expect(text, label).toContain(t.key === 'payment_received' ? 'https://portal.example' : 'https://pa');
      if (t.key !== 'payment_received') expect(text).toContain(SAMPLE[t.language].payment_link!);
    }
  });

  it('notices render from what they are about; an email without a portal link just has no button', () => {
    const vars = { ...SAMPLE['es-MX'], portal_link: undefined };
    const rejected = renderTemplate(defaultTemplate('dispute_rejected', 'email', 'es-MX')!, vars);
    expect(rejected.channel === 'email' && rejected.text).toContain('Motivo: el pago que menciona se aplicó a otro contrato');
    expect(rejected.channel === 'email' && rejected.html).not.toMatch(/<a |Ver mi cuenta/);
    const upheld = renderTemplate(defaultTemplate('dispute_upheld', 'whatsapp', 'es-MX')!, { ...vars, amount: { total: { MXN: 0n } } }, { locale: 'es-MX' });
    expect(upheld.channel === 'whatsapp' && upheld.body).toContain('quedó ajustado a $0.00');
    const agreement = renderTemplate(defaultTemplate('agreement_sent', 'email', 'en')!, { ...SAMPLE.en, portal_link: undefined });
    expect(agreement.channel === 'email' && agreement.text).toMatch(/Attached is your written agreement \(PDF\), with the documents covered \(LN-000123\)/);
    expect(agreement.channel === 'email' && agreement.text).not.toContain('View my agreement');
    // The SMS and WhatsApp agreement cannot carry the PDF: without the portal link they cannot be sent.
    expect(() => renderTemplate(defaultTemplate('agreement_sent', 'sms', 'es-MX')!, vars)).toThrow(/portal_link/);
    expect(() => renderTemplate(defaultTemplate('dispute_rejected', 'sms', 'en')!, { ...SAMPLE.en, resolution: null })).toThrow(/resolution/);
  });

  it('the payment thank-you names the payment and renders for a settled account with no contract and nothing owed', () => {
    const settled: TemplateVariables = {
      debtor: { name: 'María Fernanda López', first_name: 'María' },
      creditor: { name: 'Financiera Ejemplo', legal_id: 'FEJ010101AB1', phone: '55 1234 5678' },
      amount: { total: { MXN: 0n } },
      payment: { amount: { amount: 125050n, currency: 'MXN' }, date: '2026-03-11' },
      portal_link: 'https://portal.example.mx',
      optout_instructions: 'Responda BAJA.',
    };
    for (const t of DEFAULT_TEMPLATES.filter((x) => x.key === 'payment_received')) {
      const text = renderedText(renderTemplate(t, settled, { locale: 'es-MX' }));
      expect(text, `${t.channel} ${t.language}`).toContain('1,250.50');
      expect(text).toMatch(t.language === 'en' ? /March 11, 2026/ : /11 de marzo de 2026/);
      expect(text).toContain('$0.00');
      expect(text).not.toMatch(/contrato|account \{|undefined/);
    }
    // Without the payment it cannot be rendered: the thank-you is about one payment.
    expect(() => renderTemplate(defaultTemplate('payment_received', 'sms', 'es-MX')!, { ...settled, payment: null })).toThrow(/payment\.amount/);
  });

  it('every WhatsApp default is an approved utility template with positional parameters', () => {
    const whatsapp = DEFAULT_TEMPLATES.filter((t) => t.channel === 'whatsapp');
    expect(whatsapp).toHaveLength(24);
    for (const t of whatsapp) {
      expect(t.content.approved.category).toBe('utility');
      expect(t.content.approved.name).toBe(t.key);
      expect(t.content.approved.language).toBe(t.language === 'es-MX' ? 'es_MX' : 'en');
      const positional = whatsAppPositionalBody(t);
      expect(positional.body).not.toMatch(/\{\{[a-z]/);
      const message = toWhatsAppTemplateMessage(t, SAMPLE[t.language]);
      expect(message.bodyParameters).toHaveLength(positional.variables.length);
      expect(message.bodyParameters.every((p) => p.trim() !== '' && !/[\n\t]| {5}/.test(p))).toBe(true);
    }
  });

  it('English SMS defaults stay GSM-7 with plain data; Spanish ones fit the segment limit', () => {
    for (const t of DEFAULT_TEMPLATES) {
      if (t.channel !== 'sms') continue;
      const r = renderTemplate(t, withoutAgency(SAMPLE[t.language]));
      if (t.language === 'en') expect(r.segments.encoding, t.key).toBe('GSM-7');
      expect(r.segments.segments, t.key).toBeLessThanOrEqual(t.language === 'en' ? 2 : 4);
    }
  });

  it('use only catalogue variables', () => {
    const used = new Set<string>();
    for (const t of DEFAULT_TEMPLATES) for (const m of templateText(t).matchAll(/\{\{[#/]?\s*([a-z_.]+)\s*\}\}/g)) used.add(m[1]!);
    for (const name of used) expect(VARIABLE_NAMES).toContain(name);
  });

  it('render amounts per currency in other Latin American locales', () => {
    const t = defaultTemplate('late_30_days', 'sms', 'es-MX')!;
    const cl = renderTemplate(t, { ...SAMPLE['es-MX'], amount: { overdue: { CLP: 150000n } } }, { locale: 'es-CL' });
    expect(cl.channel === 'sms' && cl.body).toContain('tiene $150.000 vencido');
    const co = renderTemplate(t, { ...SAMPLE['es-MX'], amount: { overdue: { COP: 125000050n } } }, { locale: 'es-CO' });
    expect(co.channel === 'sms' && co.body).toContain('tiene $ 1.250.000,50 vencido');
  });
});
