/**
 * Template validation: everything that makes a template unusable, each problem with the field, its position
 * (offset, 1-based line and column) and a message in English or Spanish. A template with any problem is refused:
 * `renderTemplate` will not render it.
 *
 * Checks, per field:
 * - shape: key, channel, language and every content field present and non-empty;
 * - syntax: unbalanced `{{`/`}}`, triple braces, empty or malformed placeholders, unknown variables (with the
 *   closest catalogue name as a hint), sections that are not closed, not opened or closed out of order;
 * - text: control characters; line breaks in one-line fields (email subject, letter title);
 * - HTML (email `html`): placeholders only in text or inside quoted attribute values; never in `style` or event
 *   handler attributes; in URL attributes (`href`, `src`…) only a link variable, as the whole start of the value;
 *   no `<script>` and no `on…=` attributes at all;
 * - WhatsApp (Meta's rules for template bodies): no sections (an approved template has fixed text), no placeholder
 *   at the very start or end of the body or next to another one, at most 1024 characters, a valid template name,
 *   language code and category;
 * - SMS: the fixed text alone must fit in the segment limit;
 * - compliance (DOMAIN.md §3): every template names the creditor (`{{creditor.name}}` outside any section; in an
 *   email, in both the HTML and the text part); every email (both parts) and SMS carries `{{optout_instructions}}`;
 *   no prohibited wording (wording.ts).
 */
import { countSmsSegments, DEFAULT_MAX_SMS_SEGMENTS } from './sms.ts';
import { lineColumn, parseTemplate, unconditionalVariables, walk, type Node, type ParseResult, type SyntaxProblemCode } from './parse.ts';
import { TEMPLATE_CHANNELS, TEMPLATE_LANGUAGES, WHATSAPP_CATEGORIES, type Template, type TemplateChannel } from './types.ts';
import { variableDefinition, type VariableName } from './variables.ts';
import { blankMarkup, findProhibitedWording } from './wording.ts';

export type ProblemCode =
  | SyntaxProblemCode
  | 'invalid_key'
  | 'invalid_channel'
  | 'invalid_language'
  | 'missing_field'
  | 'empty_field'
  | 'control_character'
  | 'line_break'
  | 'html_script'
  | 'html_event_handler'
  | 'html_unsafe_context'
  | 'html_style_attribute'
  | 'html_url_attribute'
  | 'section_not_allowed'
  | 'whatsapp_edge_placeholder'
  | 'whatsapp_adjacent_placeholders'
  | 'whatsapp_body_too_long'
  | 'whatsapp_invalid_name'
  | 'whatsapp_invalid_language'
  | 'whatsapp_invalid_category'
  | 'whatsapp_invalid_header'
  | 'sms_too_long'
  | 'creditor_not_identified'
  | 'optout_missing'
  | 'prohibited_wording';

export interface TemplateProblem {
  readonly code: ProblemCode;
  /** `key`, `subject`, `html`, `text`, `body`, `title`, `body[2]` (letter paragraph), `approved.name`, … */
  readonly field: string;
  /** Position in the field (UTF-16 offset, 1-based line and column), or null when the problem is the whole field. */
  readonly offset: number | null;
  readonly line: number | null;
  readonly column: number | null;
  /** The variable concerned, or the placeholder text for malformed ones. */
  readonly variable?: string;
  /** Unknown variable: the closest catalogue name. */
  readonly suggestion?: string;
  /** Prohibited wording: the phrase from the list. */
  readonly phrase?: string;
  readonly message: string;
}

export type MessageLanguage = 'en' | 'es-MX';

export interface ValidateOptions {
  /** Language of the problem messages (default English). */
  readonly messages?: MessageLanguage;
  /** Segment limit for SMS (default 6). */
  readonly maxSmsSegments?: number;
}

/** One content field of a template, as analysed. */
export interface AnalysedField {
  readonly field: string;
  readonly kind: FieldKind;
  readonly source: string;
  readonly parsed: ParseResult;
}

type FieldKind = 'line' | 'text' | 'html' | 'sms' | 'whatsapp';

interface RawProblem {
  code: ProblemCode;
  field: string;
  offset: number | null;
  source?: string;
  variable?: string;
  suggestion?: string;
  expected?: string;
  phrase?: string;
  limit?: number;
}

export interface Analysis {
  readonly problems: readonly RawProblem[];
  readonly fields: readonly AnalysedField[];
}

const KEY = /^[a-z][a-z0-9_]{0,99}$/;
const META_NAME = /^[a-z0-9_]{1,512}$/;
const META_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2,3})?$/;
// Control characters other than tab, LF and CR; bidirectional embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const WHATSAPP_MAX_BODY = 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields of a template by channel, with the kind of text each holds. */
function contentFields(channel: TemplateChannel, content: Record<string, unknown>, problems: RawProblem[]): Array<{ field: string; kind: FieldKind; value: unknown }> {
  switch (channel) {
    case 'email':
      return [
        { field: 'subject', kind: 'line', value: content.subject },
        { field: 'html', kind: 'html', value: content.html },
        { field: 'text', kind: 'text', value: content.text },
      ];
    case 'sms':
      return [{ field: 'body', kind: 'sms', value: content.body }];
    case 'whatsapp':
      return [{ field: 'body', kind: 'whatsapp', value: content.body }];
    case 'letter': {
      const body = content.body;
      const fields: Array<{ field: string; kind: FieldKind; value: unknown }> = [{ field: 'title', kind: 'line', value: content.title }];
      if (!Array.isArray(body)) problems.push({ code: 'missing_field', field: 'body', offset: null });
      else if (body.length === 0) problems.push({ code: 'empty_field', field: 'body', offset: null });
      else body.forEach((p, i) => fields.push({ field: `body[${i}]`, kind: 'text', value: p }));
      return fields;
    }
  }
}

/** Structural analysis shared by validation and rendering. */
export function analyseTemplate(template: Template, options: { maxSmsSegments?: number } = {}): Analysis {
  const problems: RawProblem[] = [];
  const fields: AnalysedField[] = [];
  const t: unknown = template;
  if (!isRecord(t)) return { problems: [{ code: 'missing_field', field: 'template', offset: null }], fields };
  if (typeof t.key !== 'string' || !KEY.test(t.key)) problems.push({ code: 'invalid_key', field: 'key', offset: null });
  if (!TEMPLATE_LANGUAGES.includes(t.language as never)) problems.push({ code: 'invalid_language', field: 'language', offset: null });
  if (!TEMPLATE_CHANNELS.includes(t.channel as never)) {
    problems.push({ code: 'invalid_channel', field: 'channel', offset: null });
    return { problems, fields };
  }
  const channel = t.channel as TemplateChannel;
  if (!isRecord(t.content)) {
    problems.push({ code: 'missing_field', field: 'content', offset: null });
    return { problems, fields };
  }
  const content = t.content;

  for (const { field, kind, value } of contentFields(channel, content, problems)) {
    if (typeof value !== 'string') {
      problems.push({ code: 'missing_field', field, offset: null });
      continue;
    }
    if (value.trim() === '') {
      problems.push({ code: 'empty_field', field, offset: null });
      continue;
    }
    const parsed = parseTemplate(value);
    fields.push({ field, kind, source: value, parsed });
    for (const p of parsed.problems) {
      problems.push({ code: p.code, field, offset: p.offset, source: p.source, variable: p.variable, suggestion: p.suggestion, expected: p.expected });
    }
    const control = CONTROL.exec(value);
    if (control) problems.push({ code: 'control_character', field, offset: control.index });
    if (kind === 'line') {
      const br = /[\r\n]/.exec(value);
      if (br) problems.push({ code: 'line_break', field, offset: br.index });
    }
    const clean = parsed.problems.length === 0;
    if (kind === 'html' && clean) problems.push(...htmlProblems(value, parsed.nodes, field));
    if (kind === 'whatsapp' && clean) problems.push(...whatsAppBodyProblems(value, parsed.nodes, field));
    if (kind === 'sms' && clean) {
      const limit = options.maxSmsSegments ?? DEFAULT_MAX_SMS_SEGMENTS;
      if (countSmsSegments(staticText(parsed.nodes)).segments > limit) problems.push({ code: 'sms_too_long', field, offset: null, limit });
    }
    const blanked = blankPlaceholders(value);
    for (const m of findProhibitedWording(kind === 'html' ? blankMarkup(blanked) : blanked)) {
      problems.push({ code: 'prohibited_wording', field, offset: m.offset, phrase: m.phrase, source: m.text });
    }
  }

  if (channel === 'whatsapp') {
    const approved = content.approved;
    if (!isRecord(approved)) problems.push({ code: 'missing_field', field: 'approved', offset: null });
    else {
      if (typeof approved.name !== 'string' || !META_NAME.test(approved.name)) problems.push({ code: 'whatsapp_invalid_name', field: 'approved.name', offset: null });
      if (typeof approved.language !== 'string' || !META_LANGUAGE.test(approved.language)) problems.push({ code: 'whatsapp_invalid_language', field: 'approved.language', offset: null });
      if (!WHATSAPP_CATEGORIES.includes(approved.category as never)) problems.push({ code: 'whatsapp_invalid_category', field: 'approved.category', offset: null });
      if (approved.header !== undefined && approved.header !== 'document') problems.push({ code: 'whatsapp_invalid_header', field: 'approved.header', offset: null });
    }
  }

  problems.push(...complianceProblems(channel, fields));
  return { problems, fields };
}

function complianceProblems(channel: TemplateChannel, fields: readonly AnalysedField[]): RawProblem[] {
  const out: RawProblem[] = [];
  const uses = (f: AnalysedField, name: VariableName) => unconditionalVariables(f.parsed.nodes).has(name);
  const main = fields.filter((f) => f.kind !== 'line' || channel === 'letter');
  if (channel === 'letter') {
    if (fields.length > 0 && !fields.some((f) => uses(f, 'creditor.name'))) out.push({ code: 'creditor_not_identified', field: 'body', offset: null });
  } else {
    for (const f of main) if (!uses(f, 'creditor.name')) out.push({ code: 'creditor_not_identified', field: f.field, offset: null });
  }
  if (channel === 'email' || channel === 'sms') {
    for (const f of main) if (!uses(f, 'optout_instructions')) out.push({ code: 'optout_missing', field: f.field, offset: null });
  }
  return out;
}

/** The text with every placeholder replaced by spaces of the same length (offsets unchanged). */
function blankPlaceholders(source: string): string {
  let out = '';
  let at = 0;
  for (const span of placeholderSpans(source)) {
    out += source.slice(at, span.start) + ' '.repeat(span.end - span.start);
    at = span.end;
  }
  return out + source.slice(at);
}

/** The fixed text only (placeholders removed). */
function staticText(nodes: readonly Node[]): string {
  let out = '';
  for (const n of walk(nodes)) if (n.type === 'text') out += n.value;
  return out;
}

function placeholderSpans(source: string): Array<{ start: number; end: number }> {
  return [...source.matchAll(/\{\{[\s\S]*?\}\}\}?/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

function whatsAppBodyProblems(source: string, nodes: readonly Node[], field: string): RawProblem[] {
  const out: RawProblem[] = [];
  const flat = [...walk(nodes)];
  for (const n of flat) if (n.type === 'section') out.push({ code: 'section_not_allowed', field, offset: n.start, variable: n.name });
  const vars = flat.filter((n) => n.type === 'variable');
  const first = vars[0];
  const last = vars[vars.length - 1];
  const edges = new Set<typeof first>();
  if (first && source.slice(0, first.start).trim() === '') edges.add(first);
  if (last && source.slice(last.end).trim() === '') edges.add(last);
  for (const e of edges) if (e) out.push({ code: 'whatsapp_edge_placeholder', field, offset: e.start, variable: e.name });
  for (let k = 1; k < vars.length; k++) {
    if (source.slice(vars[k - 1]!.end, vars[k]!.start).trim() === '') out.push({ code: 'whatsapp_adjacent_placeholders', field, offset: vars[k]!.start, variable: vars[k]!.name });
  }
  const positional = positionalBody(nodes).body;
  if (positional.length > WHATSAPP_MAX_BODY) out.push({ code: 'whatsapp_body_too_long', field, offset: null, limit: WHATSAPP_MAX_BODY });
  return out;
}

/** The body with named placeholders replaced by Meta's `{{1}}`, `{{2}}`… in order of first appearance. */
export function positionalBody(nodes: readonly Node[]): { body: string; variables: VariableName[] } {
  const variables: VariableName[] = [];
  let body = '';
  for (const n of walk(nodes)) {
    if (n.type === 'text') body += n.value;
    else if (n.type === 'variable') {
      let index = variables.indexOf(n.name);
      if (index === -1) index = variables.push(n.name) - 1;
      body += `{{${index + 1}}}`;
    }
  }
  return { body, variables };
}

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'background', 'poster', 'cite', 'srcset', 'xlink:href', 'data', 'longdesc', 'usemap', 'manifest', 'ping']);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);

type HtmlState = 'text' | 'tag' | 'attr_name' | 'after_attr_name' | 'before_value' | 'value_dq' | 'value_sq' | 'value_unquoted' | 'comment' | 'raw';

/**
 * Walks the HTML once, as a browser's tokenizer would at the level that matters here, and checks where each
 * placeholder lands. Escaping a value is only safe in text and inside quoted attribute values.
 */
function htmlProblems(source: string, nodes: readonly Node[], field: string): RawProblem[] {
  const out: RawProblem[] = [];
  const variableAt = new Map<number, VariableName>();
  for (const n of walk(nodes)) if (n.type === 'variable') variableAt.set(n.start, n.name);
  const spans = new Map(placeholderSpans(source).map((s) => [s.start, s.end]));

  let state: HtmlState = 'text';
  let tagName = '';
  let closing = false;
  let attrName = '';
  let attrStart = 0;
  let valueHasContent = false;
  let i = 0;
  const endAttrName = () => {
    if (/^on/i.test(attrName)) out.push({ code: 'html_event_handler', field, offset: attrStart, variable: attrName });
  };
  while (i < source.length) {
    const spanEnd = spans.get(i);
    if (spanEnd !== undefined) {
      const name = variableAt.get(i);
      if (name !== undefined) {
        if (state === 'value_dq' || state === 'value_sq') {
          const attr = attrName.toLowerCase();
          if (attr === 'style') out.push({ code: 'html_style_attribute', field, offset: i, variable: name });
          else if (URL_ATTRIBUTES.has(attr) && (variableDefinition(name).kind !== 'link' || valueHasContent)) {
            out.push({ code: 'html_url_attribute', field, offset: i, variable: name });
          }
          valueHasContent = true;
        } else if (state !== 'text') {
          out.push({ code: 'html_unsafe_context', field, offset: i, variable: name });
        }
      }
      i = spanEnd;
      continue;
    }
    const c = source[i]!;
    switch (state) {
      case 'text':
        if (source.startsWith('<!--', i)) {
          state = 'comment';
          i += 4;
          continue;
        }
        if (c === '<') {
          const m = /^<(\/?)([A-Za-z][A-Za-z0-9:-]*)/.exec(source.slice(i, i + 64));
          if (m) {
            closing = m[1] === '/';
            tagName = m[2]!.toLowerCase();
            if (tagName === 'script') out.push({ code: 'html_script', field, offset: i });
            state = 'tag';
            i += m[0].length;
            continue;
          }
          const next = variableAt.get(i + 1);
          if (next !== undefined) out.push({ code: 'html_unsafe_context', field, offset: i + 1, variable: next });
        }
        i += 1;
        continue;
      case 'comment': {
        const end = source.indexOf('-->', i);
        const stop = end === -1 ? source.length : end;
        // Placeholders inside a comment are still reported: jump to the next one if it comes first.
        const next = [...spans.keys()].filter((s) => s >= i && s < stop).sort((a, b) => a - b)[0];
        if (next !== undefined) {
          i = next;
          continue;
        }
        state = 'text';
        i = end === -1 ? source.length : end + 3;
        continue;
      }
      case 'raw':
        if (c === '<' && source.slice(i, i + 2 + tagName.length).toLowerCase() === `</${tagName}`) {
          state = 'text';
          continue;
        }
        i += 1;
        continue;
      case 'tag':
        if (c === '>') {
          state = !closing && RAW_TEXT_ELEMENTS.has(tagName) ? 'raw' : 'text';
        } else if (!/[\s/"'=]/.test(c)) {
          state = 'attr_name';
          attrName = '';
          attrStart = i;
          continue;
        }
        i += 1;
        continue;
      case 'attr_name':
        if (/[\s=>/]/.test(c)) {
          endAttrName();
          state = c === '=' ? 'before_value' : /\s/.test(c) ? 'after_attr_name' : 'tag';
          if (c === '>' || c === '/') continue;
        } else attrName += c;
        i += 1;
        continue;
      case 'after_attr_name':
        if (c === '=') state = 'before_value';
        else if (!/\s/.test(c)) {
          state = 'tag';
          continue;
        }
        i += 1;
        continue;
      case 'before_value':
        if (c === '"' || c === "'") {
          state = c === '"' ? 'value_dq' : 'value_sq';
          valueHasContent = false;
        } else if (c === '>') {
          state = 'tag';
          continue;
        } else if (!/\s/.test(c)) {
          state = 'value_unquoted';
          continue;
        }
        i += 1;
        continue;
      case 'value_dq':
      case 'value_sq':
        if ((state === 'value_dq' && c === '"') || (state === 'value_sq' && c === "'")) state = 'tag';
        else valueHasContent = true;
        i += 1;
        continue;
      case 'value_unquoted':
        if (/\s/.test(c)) state = 'tag';
        else if (c === '>') {
          state = 'tag';
          continue;
        }
        i += 1;
        continue;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

const FIELD_NAMES: Record<MessageLanguage, (field: string) => string> = {
  en: (f) => f,
  'es-MX': (f) =>
    ({ subject: 'asunto', html: 'html', text: 'texto', body: 'cuerpo', title: 'título', key: 'clave', channel: 'canal', language: 'idioma', content: 'contenido', approved: 'plantilla aprobada' })[f] ??
    f.replace(/^body\[(\d+)\]$/, (_, n: string) => `párrafo ${Number(n) + 1}`).replace(/^approved\./, 'plantilla aprobada.'),
};

function describe(p: RawProblem, lang: MessageLanguage): string {
  const es = lang === 'es-MX';
  const v = p.variable ?? '';
  const src = p.source ?? '';
  const hint = p.suggestion ? (es ? ` ¿Quiso decir "${p.suggestion}"?` : ` Did you mean "${p.suggestion}"?`) : '';
  switch (p.code) {
    case 'invalid_key': return es ? 'La clave debe empezar con una letra minúscula y contener solo minúsculas, dígitos y "_".' : 'The key must start with a lower-case letter and use only lower-case letters, digits and "_".';
    case 'invalid_channel': return es ? 'El canal debe ser email, whatsapp, sms o letter.' : 'The channel must be email, whatsapp, sms or letter.';
    case 'invalid_language': return es ? 'El idioma debe ser es-MX o en.' : 'The language must be es-MX or en.';
    case 'missing_field': return es ? 'Falta este campo o no es texto.' : 'This field is missing or is not text.';
    case 'empty_field': return es ? 'Este campo está vacío.' : 'This field is empty.';
    case 'unclosed_placeholder': return es ? `"{{" sin cerrar: falta "}}" en ${src}.` : `Unbalanced braces: "{{" is never closed with "}}" in ${src}.`;
    case 'unopened_placeholder': return es ? '"}}" sin un "{{" que lo abra.' : 'Unbalanced braces: "}}" without an opening "{{".';
    case 'triple_braces': return es ? `Las llaves triples no existen (${src}); use {{ variable }}: los valores siempre se escapan.` : `Triple braces are not supported (${src}); use {{ variable }}: values are always escaped.`;
    case 'empty_placeholder': return es ? `Marcador vacío ${src}.` : `Empty placeholder ${src}.`;
    case 'invalid_placeholder': return es ? `${src} no es un nombre de variable (no hay filtros ni expresiones).` : `${src} is not a variable name (there are no filters or expressions).`;
    case 'unknown_variable': return (es ? `Variable desconocida "${v}".` : `Unknown variable "${v}".`) + hint;
    case 'unclosed_section': return es ? `La sección {{#${v}}} no se cierra con {{/${v}}}.` : `Section {{#${v}}} is never closed with {{/${v}}}.`;
    case 'unopened_section': return es ? `{{/${v}}} cierra una sección que no se abrió.` : `{{/${v}}} closes a section that was never opened.`;
    case 'mismatched_section': return es ? `{{/${v}}} cierra antes que {{/${p.expected}}}: las secciones se cierran en orden inverso.` : `{{/${v}}} closes before {{/${p.expected}}}: sections must close in reverse order.`;
    case 'control_character': return es ? 'Contiene un carácter de control o de dirección de texto invisible.' : 'Contains an invisible control or text-direction character.';
    case 'line_break': return es ? 'Este campo debe ser una sola línea.' : 'This field must be a single line.';
    case 'html_script': return es ? 'Los correos no pueden contener <script>.' : 'Emails must not contain <script>.';
    case 'html_event_handler': return es ? `Atributo de evento "${v}" no permitido.` : `Event handler attribute "${v}" is not allowed.`;
    case 'html_unsafe_context': return es ? `{{${v}}} está en una posición del HTML donde el escape no lo protege (dentro de una etiqueta, en un atributo sin comillas, en un comentario o en <style>). Póngalo en el texto o dentro de un atributo entre comillas.` : `{{${v}}} sits where HTML escaping does not protect it (inside a tag, an unquoted attribute, a comment or <style>). Put it in text or inside a quoted attribute value.`;
    case 'html_style_attribute': return es ? `{{${v}}} no puede ir dentro de un atributo style.` : `{{${v}}} must not be used inside a style attribute.`;
    case 'html_url_attribute': return es ? `En un atributo de enlace solo puede ir una variable de enlace (payment_link, portal_link) al inicio del valor; {{${v}}} no.` : `A URL attribute may only hold a link variable (payment_link, portal_link) at the start of its value; not {{${v}}}.`;
    case 'section_not_allowed': return es ? `Las plantillas de WhatsApp no admiten secciones ({{#${v}}}): el texto aprobado por Meta es fijo.` : `WhatsApp templates cannot have sections ({{#${v}}}): the text Meta approves is fixed.`;
    case 'whatsapp_edge_placeholder': return es ? `Meta no acepta un parámetro al inicio o al final del cuerpo ({{${v}}}).` : `Meta does not accept a parameter at the very start or end of the body ({{${v}}}).`;
    case 'whatsapp_adjacent_placeholders': return es ? `Meta no acepta dos parámetros seguidos sin texto entre ellos ({{${v}}}).` : `Meta does not accept two parameters with no text between them ({{${v}}}).`;
    case 'whatsapp_body_too_long': return es ? `El cuerpo supera ${p.limit} caracteres.` : `The body is longer than ${p.limit} characters.`;
    case 'whatsapp_invalid_name': return es ? 'El nombre de la plantilla de Meta solo admite minúsculas, dígitos y "_".' : "Meta's template name may only use lower-case letters, digits and \"_\".";
    case 'whatsapp_invalid_language': return es ? 'Código de idioma de Meta inválido (p. ej. es_MX, en).' : "Invalid Meta language code (e.g. es_MX, en).";
    case 'whatsapp_invalid_category': return es ? 'La categoría debe ser utility, marketing o authentication.' : 'The category must be utility, marketing or authentication.';
    case 'whatsapp_invalid_header': return es ? 'El encabezado solo puede ser document (la plantilla aprobada lleva un documento en el encabezado) o no indicarse.' : 'The header may only be document (the approved template has a document header), or be left out.';
    case 'sms_too_long': return es ? `El texto fijo ya ocupa más de ${p.limit} segmentos de SMS.` : `The fixed text alone takes more than ${p.limit} SMS segments.`;
    case 'creditor_not_identified': return es ? 'Debe identificar al acreedor con {{creditor.name}} (fuera de cualquier sección).' : 'Must identify the creditor with {{creditor.name}} (outside any section).';
    case 'optout_missing': return es ? 'Todo correo y SMS debe incluir {{optout_instructions}} (cómo dejar de recibir mensajes).' : 'Every email and SMS must include {{optout_instructions}} (how to opt out).';
    case 'prohibited_wording': return es ? `Redacción prohibida "${src}" (amenaza, apariencia judicial o presión indebida).` : `Prohibited wording "${src}" (threat, judicial-looking or undue pressure).`;
  }
}

function present(p: RawProblem, fields: readonly AnalysedField[], lang: MessageLanguage): TemplateProblem {
  const source = fields.find((f) => f.field === p.field)?.source;
  const pos = p.offset !== null && source !== undefined ? lineColumn(source, p.offset) : null;
  const where = pos
    ? lang === 'es-MX'
      ? ` (${FIELD_NAMES[lang](p.field)}, línea ${pos.line}, columna ${pos.column})`
      : ` (${p.field}, line ${pos.line}, column ${pos.column})`
    : lang === 'es-MX'
      ? ` (${FIELD_NAMES[lang](p.field)})`
      : ` (${p.field})`;
  return {
    code: p.code,
    field: p.field,
    offset: p.offset,
    line: pos?.line ?? null,
    column: pos?.column ?? null,
    ...(p.variable !== undefined ? { variable: p.variable } : {}),
    ...(p.suggestion !== undefined ? { suggestion: p.suggestion } : {}),
    ...(p.phrase !== undefined ? { phrase: p.phrase } : {}),
    message: describe(p, lang) + where,
  };
}

/** Every problem of a template, in field order then position; an empty list means the template is usable. */
export function validateTemplate(template: Template, options: ValidateOptions = {}): TemplateProblem[] {
  const { problems, fields } = analyseTemplate(template, options);
  return presentProblems(problems, fields, options.messages ?? 'en');
}

export function presentProblems(problems: readonly RawProblem[], fields: readonly AnalysedField[], lang: MessageLanguage): TemplateProblem[] {
  const order = (field: string) => {
    const k = fields.findIndex((f) => f.field === field);
    return k === -1 ? -1 : k;
  };
  return [...problems]
    .sort((a, b) => order(a.field) - order(b.field) || (a.offset ?? -1) - (b.offset ?? -1))
    .map((p) => present(p, fields, lang));
}
