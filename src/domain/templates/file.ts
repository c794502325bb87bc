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
import { validateTemplate, type MessageLanguage } from './validate.ts';

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
  readonly message: string;
}

export class TemplateFileError extends Error {
  override name = 'TemplateFileError';
  readonly issues: readonly TemplateFileIssue[];
  constructor(issues: readonly TemplateFileIssue[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
    this.issues = issues;
  }
}

const ENTRY_KEYS = new Set(['key', 'channel', 'language', 'content', 'version']);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a template file's text: JSON when it looks like JSON, YAML otherwise. */
export function parseTemplateSource(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) throw new TemplateFileError([{ path: '', code: 'shape', message: 'the file is empty' }]);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch (error) {
      throw new TemplateFileError([{ path: '', code: 'shape', message: `not valid JSON: ${(error as Error).message}` }]);
    }
  }
  try {
    return parseYamlText(text, { uniqueKeys: true }) as unknown;
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const pos = error.linePos?.[0];
      const what = error.message.split(' at line ')[0]!.split('\n')[0];
      throw new TemplateFileError([{ path: '', code: 'shape', message: `not valid YAML: ${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${what}` }]);
    }
    throw error;
  }
}

/** The entries of a parsed template file; throws TemplateFileError with every problem of every entry. */
export function parseTemplateFile(input: unknown, options: { messages?: MessageLanguage } = {}): TemplateFileEntry[] {
  const list = Array.isArray(input) ? input : isRecord(input) && 'templates' in input ? input.templates : [input];
  const prefix = Array.isArray(input) ? '' : isRecord(input) && 'templates' in input ? 'templates' : null;
  if (!Array.isArray(list) || list.length === 0) {
    throw new TemplateFileError([{ path: prefix ?? '', code: 'shape', message: 'expected a template, a list of templates or { templates: [...] } with at least one' }]);
  }
  if (isRecord(input) && 'templates' in input && Object.keys(input).length > 1) {
    throw new TemplateFileError([{ path: '', code: 'shape', message: `unexpected field(s) next to "templates": ${Object.keys(input).filter((k) => k !== 'templates').join(', ')}` }]);
  }
  const issues: TemplateFileIssue[] = [];
  const entries: TemplateFileEntry[] = [];
  const seen = new Map<string, string>();
  list.forEach((raw: unknown, i: number) => {
    const path = prefix === null ? '' : `${prefix}[${i}]`;
    const at = (field: string) => (path ? `${path}.${field}` : field);
    if (!isRecord(raw)) {
      issues.push({ path, code: 'shape', message: 'a template must be an object with key, channel, language and content' });
      return;
    }
    const extra = Object.keys(raw).filter((k) => !ENTRY_KEYS.has(k));
    if (extra.length) issues.push({ path, code: 'shape', message: `unknown field(s): ${extra.join(', ')} (a template has key, channel, language, content and optionally version)` });
    let version: number | null = null;
    if (raw.version !== undefined && raw.version !== null) {
      if (typeof raw.version !== 'number' || !Number.isSafeInteger(raw.version) || raw.version < 1) issues.push({ path: at('version'), code: 'shape', message: 'version must be a whole number ≥ 1 (the version you edited)' });
      else version = raw.version;
    }
    const template = { key: raw.key, channel: raw.channel, language: raw.language ?? 'es-MX', content: raw.content } as unknown as Template;
    for (const p of validateTemplate(template, options)) {
      const field = p.field === 'key' || p.field === 'channel' || p.field === 'language' ? p.field : `content.${p.field}`;
      issues.push({ path: at(field), code: p.code, message: p.message, ...(p.line !== null ? { line: p.line } : {}), ...(p.column !== null ? { column: p.column } : {}) });
    }
    const id = `${String(raw.key)}/${String(raw.channel)}/${String(template.language)}`;
    const first = seen.get(id);
    if (first !== undefined) issues.push({ path, code: 'shape', message: `the same template (${id}) is also at ${first || 'the top'}; give each key, channel and language once` });
    else seen.set(id, path);
    entries.push({ path, template, version });
  });
  if (issues.length) throw new TemplateFileError(issues);
  return entries;
}
