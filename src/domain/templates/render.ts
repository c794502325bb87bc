/**
 * Rendering: a valid template plus values → the content a provider sends.
 *
 * - A template with any validation problem is refused (TemplateRenderError `invalid_template`, with the problems).
 * - Every variable the rendered output needs must have a valid value; otherwise nothing is rendered and the error
 *   lists all missing (`missing_values`) and invalid (`invalid_values`) ones. "undefined" is never rendered. A
 *   section's variable is optional: the section is dropped when it has no value.
 * - Values are cleaned for every channel (see variables.ts: single line, no control characters); in the email HTML
 *   they are also escaped (& < > " '). Text, SMS, WhatsApp and letters are not escaped.
 * - SMS: no-break spaces that Intl puts in amounts become plain spaces (they are not GSM-7); the body's encoding
 *   and segment count are reported, and a body over `maxSmsSegments` (default 6) is refused (`sms_too_long`).
 * - Text outputs are tidied: a section left out never leaves more than one blank line, and ends are trimmed; an
 *   empty letter paragraph is dropped.
 */
import { isKnownCurrency, type Currency } from '../money.ts';
import type { Node } from './parse.ts';
import { countSmsSegments, DEFAULT_MAX_SMS_SEGMENTS, type SmsSegmentInfo } from './sms.ts';
import type { EmailTemplate, LetterTemplate, SmsTemplate, Template, WhatsAppCategory, WhatsAppTemplate } from './types.ts';
import { analyseTemplate, positionalBody, presentProblems, type AnalysedField, type TemplateProblem } from './validate.ts';
import { formatVariable, type FormatContext, type TemplateVariables, type VariableName } from './variables.ts';

export interface RenderOptions {
  /** BCP 47 locale for amounts and numbers (e.g. es-MX, es-CL, es-CO, en-US); defaults to the template's language. */
  readonly locale?: string;
  /** Currency of bare bigint amounts; listed first when an amount has several currencies. */
  readonly currency?: Currency;
  /** Most SMS segments a body may take (default 6). */
  readonly maxSmsSegments?: number;
}

export type RenderErrorCode = 'invalid_template' | 'invalid_options' | 'missing_values' | 'invalid_values' | 'sms_too_long';

export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError';
  readonly code: RenderErrorCode;
  /** Variables the output needs and that have no value. */
  readonly missing: readonly VariableName[];
  /** Variables whose value cannot be used, with why. */
  readonly invalid: ReadonlyArray<{ readonly variable: VariableName; readonly reason: string }>;
  /** For `invalid_template`. */
  readonly problems: readonly TemplateProblem[];
  /** For `sms_too_long`. */
  readonly segments: SmsSegmentInfo | null;
  constructor(
    code: RenderErrorCode,
    message: string,
    details: {
      missing?: readonly VariableName[];
      invalid?: ReadonlyArray<{ variable: VariableName; reason: string }>;
      problems?: readonly TemplateProblem[];
      segments?: SmsSegmentInfo;
    } = {},
  ) {
    super(message);
    this.code = code;
    this.missing = details.missing ?? [];
    this.invalid = details.invalid ?? [];
    this.problems = details.problems ?? [];
    this.segments = details.segments ?? null;
  }
}

export interface RenderedEmail {
  readonly channel: 'email';
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}
export interface RenderedSms {
  readonly channel: 'sms';
  readonly body: string;
  readonly segments: SmsSegmentInfo;
}
export interface RenderedLetter {
  readonly channel: 'letter';
  readonly title: string;
  readonly body: readonly string[];
}
export interface RenderedWhatsApp {
  readonly channel: 'whatsapp';
  /** The message as the debtor will read it (for previews and the contact log). */
  readonly body: string;
  readonly name: string;
  readonly language: string;
  readonly category: WhatsAppCategory;
  /** Values of Meta's `{{1}}`, `{{2}}`… in order. */
  readonly bodyParameters: readonly string[];
}
export type RenderedContent = RenderedEmail | RenderedSms | RenderedLetter | RenderedWhatsApp;
export type RenderedFor<T extends Template> = T extends EmailTemplate
  ? RenderedEmail
  : T extends SmsTemplate
    ? RenderedSms
    : T extends LetterTemplate
      ? RenderedLetter
      : T extends WhatsAppTemplate
        ? RenderedWhatsApp
        : RenderedContent;

/** What a provider needs to send an approved WhatsApp template (the messaging port's `template`). */
export interface WhatsAppTemplateMessage {
  readonly name: string;
  readonly language: string;
  readonly bodyParameters: string[];
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** No-break and other fixed-width spaces (Intl uses them in amounts and dates) → a plain space. */
const toPlainSpaces = (s: string) => s.replace(/[\u00A0\u2007\u202F]/g, ' ');

function tidyText(s: string): string {
  return s
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
const tidyLine = (s: string) => s.replace(/ {2,}/g, ' ').trim();

class Resolver {
  readonly missing = new Set<VariableName>();
  readonly invalid = new Map<VariableName, string>();
  private readonly cache = new Map<VariableName, string | null>();
  private readonly vars: TemplateVariables;
  private readonly ctx: FormatContext;
  constructor(vars: TemplateVariables, ctx: FormatContext) {
    this.vars = vars;
    this.ctx = ctx;
  }
  /** The cleaned value, or null (recorded as missing or invalid when `required`). */
  get(name: VariableName, required: boolean): string | null {
    let value = this.cache.get(name);
    if (value === undefined) {
      const f = formatVariable(name, this.vars, this.ctx);
      value = f.ok ? f.text : null;
      if (!f.ok && !f.missing) this.invalid.set(name, f.reason);
      this.cache.set(name, value);
    }
    if (value === null && required && !this.invalid.has(name)) this.missing.add(name);
    return value;
  }
}

/**
 * Renders nodes. A value ending in a period followed by fixed text starting with one ("… S.A. de C.V." + ".")
 * keeps a single period.
 */
function renderNodes(nodes: readonly Node[], resolver: Resolver, escape: (s: string) => string): string {
  let out = '';
  let valueEndsWithPeriod = false;
  const visit = (list: readonly Node[]) => {
    for (const n of list) {
      if (n.type === 'text') {
        out += valueEndsWithPeriod && /^\.(?!\.)/.test(n.value) ? n.value.slice(1) : n.value;
        valueEndsWithPeriod = false;
      } else if (n.type === 'variable') {
        const value = resolver.get(n.name, true) ?? '';
        out += escape(value);
        valueEndsWithPeriod = value.endsWith('.') && !value.endsWith('..');
      } else if (resolver.get(n.name, false) !== null) visit(n.children);
    }
  };
  visit(nodes);
  return out;
}

/**
 * Analyses of frozen templates (the defaults, and the company's as loaded for dispatch), per SMS segment limit:
 * analysing is parsing and validating every field, which costs more than rendering, and a frozen template cannot
 * change. Unfrozen templates are analysed at every render.
 */
const ANALYSES = new WeakMap<object, Map<number | undefined, ReturnType<typeof analyseTemplate>>>();

function analysed(template: Template, options: RenderOptions): ReturnType<typeof analyseTemplate> {
  if (typeof template !== 'object' || template === null || !Object.isFrozen(template) || !Object.isFrozen(template.content)) return analyseTemplate(template, options);
  let byLimit = ANALYSES.get(template);
  if (!byLimit) ANALYSES.set(template, (byLimit = new Map()));
  let a = byLimit.get(options.maxSmsSegments);
  if (!a) byLimit.set(options.maxSmsSegments, (a = analyseTemplate(template, options)));
  return a;
}

function prepare(template: Template, variables: TemplateVariables, options: RenderOptions): { fields: Map<string, AnalysedField>; resolver: Resolver } {
  const { problems, fields } = analysed(template, options);
  if (problems.length > 0) {
    const presented = presentProblems(problems, fields, 'en');
    throw new TemplateRenderError('invalid_template', `template is not valid: ${presented.map((p) => p.message).join('; ')}`, { problems: presented });
  }
  const locale = options.locale ?? template.language;
  try {
    if (Intl.getCanonicalLocales(locale).length !== 1) throw new RangeError(locale);
  } catch {
    throw new TemplateRenderError('invalid_options', `"${locale}" is not a valid locale`);
  }
  if (options.currency !== undefined && !isKnownCurrency(options.currency)) {
    throw new TemplateRenderError('invalid_options', `unknown currency "${options.currency}"`);
  }
  if (options.maxSmsSegments !== undefined && !(Number.isSafeInteger(options.maxSmsSegments) && options.maxSmsSegments >= 1)) {
    throw new TemplateRenderError('invalid_options', 'maxSmsSegments must be a whole number of at least 1');
  }
  if (typeof variables !== 'object' || variables === null) throw new TemplateRenderError('invalid_options', 'variables must be an object');
  const resolver = new Resolver(variables, { locale, language: template.language, currency: options.currency });
  return { fields: new Map(fields.map((f) => [f.field, f])), resolver };
}

function failOnValues(resolver: Resolver): void {
  if (resolver.missing.size === 0 && resolver.invalid.size === 0) return;
  const missing = [...resolver.missing];
  const invalid = [...resolver.invalid].map(([variable, reason]) => ({ variable, reason }));
  const parts = [
    ...(missing.length > 0 ? [`missing values for ${missing.join(', ')}`] : []),
    ...invalid.map((i) => `invalid value for ${i.variable}: ${i.reason}`),
  ];
  throw new TemplateRenderError(missing.length > 0 ? 'missing_values' : 'invalid_values', parts.join('; '), { missing, invalid });
}

/**
 * Renders a template for one debtor. Throws TemplateRenderError (see the module comment); never returns partial
 * content.
 */
export function renderTemplate<T extends Template>(template: T, variables: TemplateVariables, options: RenderOptions = {}): RenderedFor<T> {
  const { fields, resolver } = prepare(template, variables, options);
  const render = (field: string, escape: (s: string) => string = (s) => s) => renderNodes(fields.get(field)!.parsed.nodes, resolver, escape);
  let result: RenderedContent;
  switch (template.channel) {
    case 'email': {
      const subject = tidyLine(render('subject'));
      const html = render('html', escapeHtml);
      const text = tidyText(render('text'));
      result = { channel: 'email', subject, html, text };
      break;
    }
    case 'sms': {
      const body = tidyText(render('body', toPlainSpaces));
      failOnValues(resolver);
      const segments = countSmsSegments(body);
      const limit = options.maxSmsSegments ?? DEFAULT_MAX_SMS_SEGMENTS;
      if (segments.segments > limit) {
        throw new TemplateRenderError('sms_too_long', `the SMS takes ${segments.segments} segments (${segments.encoding}), more than the limit of ${limit}`, { segments });
      }
      result = { channel: 'sms', body, segments };
      break;
    }
    case 'letter': {
      const title = tidyLine(render('title'));
      const body = template.content.body.map((_, i) => tidyText(render(`body[${i}]`))).filter((p) => p !== '');
      result = { channel: 'letter', title, body };
      break;
    }
    case 'whatsapp': {
      const field = fields.get('body')!;
      const body = tidyText(renderNodes(field.parsed.nodes, resolver, (s) => s));
      const { variables: order } = positionalBody(field.parsed.nodes);
      const bodyParameters = order.map((name) => resolver.get(name, true) ?? '');
      const { name, language, category } = template.content.approved;
      result = { channel: 'whatsapp', body, name, language, category, bodyParameters };
      break;
    }
  }
  failOnValues(resolver);
  return result as RenderedFor<T>;
}

/** The send request for an approved WhatsApp template: name, language and the body parameters in positional order. */
export function toWhatsAppTemplateMessage(template: WhatsAppTemplate, variables: TemplateVariables, options: RenderOptions = {}): WhatsAppTemplateMessage {
  const rendered = renderTemplate(template, variables, options);
  return { name: rendered.name, language: rendered.language, bodyParameters: [...rendered.bodyParameters] };
}

/**
 * The body to submit to Meta for approval, with positional placeholders (`Hola {{1}}, …`), and which catalogue
 * variable each position stands for.
 */
export function whatsAppPositionalBody(template: WhatsAppTemplate): { name: string; language: string; category: WhatsAppCategory; body: string; variables: VariableName[] } {
  const { problems, fields } = analysed(template, {});
  if (problems.length > 0) {
    const presented = presentProblems(problems, fields, 'en');
    throw new TemplateRenderError('invalid_template', `template is not valid: ${presented.map((p) => p.message).join('; ')}`, { problems: presented });
  }
  const { body, variables } = positionalBody(fields[0]!.parsed.nodes);
  const { name, language, category } = template.content.approved;
  return { name, language, category, body, variables };
}
