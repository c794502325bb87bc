import type { Language } from '../domain/text.ts';

/** Where a command writes. Local runs use the process streams; commands run through a server are captured. */
export interface CliIO {
  stdout: { write(chunk: string | Uint8Array): unknown };
  stderr: { write(chunk: string): unknown };
  /** Working directory that relative file paths are resolved against (the caller's, also when run remotely). */
  cwd: string;
  /** Whether stderr is a terminal (progress bars only then). */
  isTTY: boolean;
  /** The language of what a command prints: errors, problems, tables and summaries (`cliLanguage`: English unless told). */
  language: Language;
}

/**
 * The CLI's language: English unless COBRANZA_LANG says `es` (or `en`), or, without it, the locale (LC_ALL, LC_MESSAGES,
 * LANG) is a Spanish one.
 */
export function cliLanguage(env: Readonly<Record<string, string | undefined>>): Language {
  const chosen = env.COBRANZA_LANG?.trim().toLowerCase();
  if (chosen) return chosen.startsWith('es') ? 'es' : 'en';
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/**
 * Picks the sentence in the CLI's language: `const l = words(io); l('segment saved', 'segmento guardado')`. Help texts
 * (descriptions of commands, options and arguments) and what commands print are written with it, both at once.
 */
export function words(io: Pick<CliIO, 'language'>): (en: string, es: string) => string {
  return (en, es) => (io.language === 'es' ? es : en);
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), isTTY: !!process.stderr.isTTY, language: cliLanguage(process.env) };
}

export function bufferIO(cwd: string, language: Language = 'en'): CliIO & { out(): string; err(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (c: string | Uint8Array) => out.push(typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) },
    stderr: { write: (c: string) => err.push(c) },
    cwd,
    isTTY: false,
    language,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
