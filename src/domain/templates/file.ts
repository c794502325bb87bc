/**
 * A company's template file: one template, a list of them, or `{ templates: [...] }`, as YAML or JSON. Each entry is
 * `{ key, channel, language (default es-MX), content, version? }`; `version`, when given, is the version the author
 * edited, so saving over a newer one is refused instead of losing someone else's change.
 *
 * Every entry is checked with `validateTemplate` (unknown variables with the closest name, syntax, unsafe HTML,
 * WhatsApp rules, creditor and opt-out, wording); the file is accepted only when no entry has a problem, and every
 * problem is reported with where it is.
 */
import { parse as parseYamlText, YAMLParseError } from 'yaml';
import type { Template } from './types.ts';
import { analyseTemplate, presentProblems } from './validate.ts';
import { compose, say, t, TextError, type Message } from '../text.ts';

export interface TemplateFileEntry {
  /** Where the entry is in the file, e.g. `templates[2]`. */
  readonly path: string;
  readonly template: Template;
  /** The version the author edited (optimistic check), or null. */
  readonly version: number | null;
}

export interface TemplateFileIssue {
  /** `templates[0].content.body`, `templates[1].key`, or '' for the file. */
  readonly path: string;
  /** Position inside the field's text, when the problem has one. */
  readonly line?: number;
  readonly column?: number;
  /** The template's problem code (unknown_variable, …) or `shape`. */
  readonly code: string;
  readonly message: Message;
}

export class TemplateFileError extends TextError {
  override name = 'TemplateFileError';
  readonly issues: readonly TemplateFileIssue[];
  constructor(issues: readonly TemplateFileIssue[]) {
    super(compose((l) => issues.map((i) => (i.path ? `${i.path}: ${say(i.message, l)}` : say(i.message, l))).join('; ')));
    this.issues = issues;
  }
}

const ENTRY_KEYS = new Set(['key', 'channel', 'language', 'content', 'version']);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a template file's text: JSON when it looks like JSON, YAML otherwise. */
export function parseTemplateSource(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) throw new TemplateFileError([{ path: '', code: 'shape', message: t('the file is empty', 'el archivo está vacío') }]);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch (error) {
      const cause = (error as Error).message;
      throw new TemplateFileError([{ path: '', code: 'shape', message: t(`not valid JSON: ${cause}`, `no es JSON válido: ${cause}`) }]);
    }
  }
  try {
    return parseYamlText(text, { uniqueKeys: true }) as unknown;
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const pos = error.linePos?.[0];
      const what = error.message.split(' at line ')[0]!.split('\n')[0];
      throw new TemplateFileError([
        { path: '', code: 'shape', message: t(`not valid YAML: ${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${what}`, `no es YAML válido: ${pos ? `línea ${pos.line}, columna ${pos.col}: ` : ''}${what}`) },
      ]);
    }
    throw error;
  }
}

/** The entries of a parsed template file; throws TemplateFileError with every problem of every entry. */
export function parseTemplateFile(input: unknown): TemplateFileEntry[] {
  const list = Array.isArray(input) ? input : isRecord(input) && 'templates' in input ? input.templates : [input];
  const prefix = Array.isArray(input) ? '' : isRecord(input) && 'templates' in input ? 'templates' : null;
  if (!Array.isArray(list) || list.length === 0) {
    throw new TemplateFileError([
      {
        path: prefix ?? '',
        code: 'shape',
        message: t('expected a template, a list of templates or { templates: [...] } with at least one', 'se esperaba una plantilla, una lista de plantillas o { templates: [...] } con al menos una'),
      },
    ]);
  }
  if (isRecord(input) && 'templates' in input && Object.keys(input).length > 1) {
    const extra = Object.keys(input).filter((k) => k !== 'templates').join(', ');
    throw new TemplateFileError([{ path: '', code: 'shape', message: t(`unexpected field(s) next to "templates": ${extra}`, `campos inesperados junto a "templates": ${extra}`) }]);
  }
  const issues: TemplateFileIssue[] = [];
  const entries: TemplateFileEntry[] = [];
  const seen = new Map<string, string>();
  list.forEach((raw: unknown, i: number) => {
    const path = prefix === null ? '' : `${prefix}[${i}]`;
    const at = (field: string) => (path ? `${path}.${field}` : field);
    if (!isRecord(raw)) {
      issues.push({ path, code: 'shape', message: t('a template must be an object with key, channel, language and content', 'una plantilla debe ser un objeto con key, channel, language y content') });
      return;
    }
    const extra = Object.keys(raw).filter((k) => !ENTRY_KEYS.has(k));
    if (extra.length) {
      const fields = extra.join(', ');
      issues.push({
        path,
        code: 'shape',
        message: t(`unknown field(s): ${fields} (a template has key, channel, language, content and optionally version)`, `campos desconocidos: ${fields} (una plantilla tiene key, channel, language, content y, opcionalmente, version)`),
      });
    }
    let version: number | null = null;
    if (raw.version !== undefined && raw.version !== null) {
      if (typeof raw.version !== 'number' || !Number.isSafeInteger(raw.version) || raw.version < 1) {
        issues.push({ path: at('version'), code: 'shape', message: t('version must be a whole number ≥ 1 (the version you edited)', 'version debe ser un número entero ≥ 1 (la versión que editó)') });
      }
      else version = raw.version;
    }
    const template = { key: raw.key, channel: raw.channel, language: raw.language ?? 'es-MX', content: raw.content } as unknown as Template;
    // The same problems in the same order in both languages: analysed once, worded twice.
    const { problems, fields } = analyseTemplate(template);
    const spanish = presentProblems(problems, fields, 'es-MX');
    presentProblems(problems, fields, 'en').forEach((p, k) => {
      const field = p.field === 'key' || p.field === 'channel' || p.field === 'language' ? p.field : `content.${p.field}`;
      const message = t(p.message, spanish[k]?.message ?? p.message);
      issues.push({ path: at(field), code: p.code, message, ...(p.line !== null ? { line: p.line } : {}), ...(p.column !== null ? { column: p.column } : {}) });
    });
    const id = `${String(raw.key)}/${String(raw.channel)}/${String(template.language)}`;
    const first = seen.get(id);
    if (first !== undefined) {
      issues.push({
        path,
        code: 'shape',
        message: t(`the same template (${id}) is also at ${first || 'the top'}; give each key, channel and language once`, `la misma plantilla (${id}) también está en ${first || 'el inicio'}; indique cada key, channel y language una sola vez`),
      });
    }
    else seen.set(id, path);
    entries.push({ path, template, version });
  });
  if (issues.length) throw new TemplateFileError(issues);
  return entries;
}
