/**
 * The product's Spanish speaks to its reader as "usted": staff in the back office, integrators reading API errors,
 * operators at the CLI and debtors in the portal, on WhatsApp, in emails and on the payment page. This reads the
 * source and lists every Spanish text that uses a "tú" form, with its file, line and word.
 *
 * Which texts: every string literal and template text in src/ and web/src/ (tests and migrations aside). That covers
 * the Spanish half of `t(en, es)` and `compose(…)`, zod reasons, CLI output, the `…Es` constants, the conversation
 * machine, the payment page, emails and the web's catalogs, however a text is put together. English uses none of
 * the words below, so reading the English halves too costs nothing. Left out are the files in {@link HEARD}, which hold
 * what people write to us (a debtor may well say "tú"), not what we say.
 *
 * What counts as tú:
 * - words only tú uses, anywhere in a text ({@link TU_WORDS}: tu, tus, te, ti, contigo, puedes, tienes, debes, quieres,
 *   estás, eres, vas, hayas…, and tú preterites and futures such as pagaste or podrás);
 * - commands with an attached pronoun, which only the imperative has ({@link TU_ATTACHED}: inténtalo, guárdalo,
 *   escríbenos, cuéntanos, comunícate…), anywhere;
 * - commands that are also the third person ("usa", "indica", "envía"…, {@link TU_COMMANDS}) only where a command
 *   stands: at the start of a text or sentence or after ";", ":", "(" or ",", followed by more words — so "el sistema
 *   usa…", a question ("¿Confirma…?", usted) and a one-word label such as "Activa" or "Consulta" are not counted;
 * - negative commands ("no uses", "no escribas"…, {@link TU_NEGATIVE}).
 *
 * What it cannot catch: a tú verb missing from these lists; a command in the middle of a sentence after "y"/"o"
 * ("…y guarda"), which reads the same as the third person; a verb ruled by "tú" only through meaning ("lo que
 * aclares"); and Spanish assembled at run time from pieces that are not literals (data, templates stored by users).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Files holding what people write to us, matched against their words: not texts we show. */
const HEARD = new Set(['src/domain/conversation/intents.ts']);

const TU_WORDS = [
  'tu', 'tus', 'te', 'ti', 'contigo', 'tuyo', 'tuya', 'tuyos', 'tuyas',
  'puedes', 'tienes', 'debes', 'quieres', 'estás', 'eres', 'vas', 'necesitas', 'prefieres', 'sabes', 'reconoces', 'confirmas',
  'hayas', 'puedas', 'quieras', 'tengas', 'debas', 'estés', 'seas', 'prefieras',
  'pagaste', 'hiciste', 'pediste', 'abriste', 'editaste', 'olvidaste', 'enviaste', 'recibiste',
  'podrás', 'recibirás', 'pagarás', 'tendrás', 'verás',
];

const TU_ATTACHED = [
  'inténtalo', 'guárdalo', 'guárdala', 'impórtalo', 'impórtala', 'cancélalo', 'cancélala', 'páusala', 'páusalo',
  'recházala', 'recházalo', 'elimínalo', 'elimínala', 'escríbenos', 'escríbelo', 'cuéntanos', 'explícanos',
  'comunícate', 'contáctanos', 'llámanos', 'pídele', 'pídelo', 'actívalo', 'actívala', 'revísalo', 'revísala',
  'cámbialo', 'cámbiala', 'muéstrala', 'muéstralo', 'renómbrala', 'renómbralo', 'mapéala', 'mapéalo', 'revértelos',
  'revértelo', 'inviértelos', 'ajústalas', 'ajústalo', 'consúltalas', 'consúltalo', 'créalo', 'créala', 'únelas',
  'déjalo', 'déjala', 'cópiala', 'cópialo', 'ponle', 'dale', 'dile', 'detenlo', 'súbelo', 'súbela', 'bórralo',
  'ábrelo', 'ábrela', 'asegúrate', 'fíjate', 'selecciónalo', 'descárgalo', 'descárgala', 'agrégalo', 'quítalo',
];

const TU_COMMANDS = [
  'usa', 'revisa', 'elige', 'escribe', 'indica', 'inicia', 'envía', 'vuelve', 'intenta', 'corrige', 'sube', 'pide',
  'agrega', 'quita', 'guarda', 'abre', 'cambia', 'borra', 'crea', 'recarga', 'cierra', 'avisa', 'ejecuta', 'importa',
  'omite', 'elimina', 'edita', 'responde', 'confirma', 'selecciona', 'descarga', 'paga', 'registra', 'restablece',
  'explica', 'simula', 'define', 'alarga', 'consulta', 'comunica', 'repite', 'di', 'da', 'haz', 'pon',
];

const TU_NEGATIVE = ['uses', 'escribas', 'olvides', 'envíes', 'cambies', 'borres', 'pongas', 'hagas', 'vuelvas', 'intentes', 'elijas', 'pagues'];

/** A word as written inside a sentence or at its start: "tu" and "Tu", never "TU" (a code) or "tutor". */
const forms = (words: readonly string[]) => words.flatMap((w) => [w, w.charAt(0).toUpperCase() + w.slice(1)]).join('|');
const L = '[\\p{L}\\p{N}_]';
const anywhere = new RegExp(`(?<!${L})(${forms([...TU_WORDS, ...TU_ATTACHED])})(?!${L})`, 'gu');
const command = new RegExp(`(?:^|[.;:(,!?]\\s*)(${forms(TU_COMMANDS)})(?=\\s+[^\\s])`, 'gu');
const negative = new RegExp(`(?<!${L})[Nn]o (${forms(TU_NEGATIVE)})(?!${L})`, 'gu');

interface Finding {
  where: string;
  word: string;
  text: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'migrations' && name !== 'dist') sourceFiles(path, out);
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

/** The tú forms in one file's text (`name` relative to the project). */
function scan(name: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, name.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const check = (node: ts.Node, written: string) => {
    const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
    for (const pattern of [anywhere, command, negative]) {
      for (const m of written.matchAll(pattern)) {
        const line = start + written.slice(0, m.index).split('\n').length;
        findings.push({ where: `${name}:${line}`, word: m[1]!, text: written.replace(/\s+/g, ' ').trim().slice(0, 140) });
      }
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isJsxText(node)) check(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      // The sentence with "{…}" where a value goes, so "; usa ${list}" reads as a command followed by more words.
      check(node, node.head.text + node.templateSpans.map((s) => `{…}${s.literal.text}`).join(''));
      for (const span of node.templateSpans) visit(span.expression);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** Every tú form in the product's texts. */
function tuForms(): Finding[] {
  const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'web', 'src'))];
  return files
    .map((file) => relative(ROOT, file).split('\\').join('/'))
    .filter((name) => !HEARD.has(name))
    .flatMap((name) => scan(name, readFileSync(join(ROOT, name), 'utf8')));
}

describe('Spanish in the usted register', () => {
  it('no Spanish text addresses its reader as tú', () => {
    // Each finding names the file, line and word of a tú form to write as usted ("usa" → "use", "tu" → "su").
    expect(tuForms().map((f) => `${f.where}: "${f.word}" in "${f.text}"`)).toEqual([]);
  });

  it('finds tú forms and lets usted and the third person be (the scan itself works)', () => {
    const findings = scan('src/modules/example.ts', `
      t('use YYYY-MM-DD', 'usa AAAA-MM-DD');
      t('check its quotes', \`el JSON no es válido (\${reason}); revisa sus comillas\`);
      const es = { 'a.b': 'Tu sesión terminó. Vuelve a entrar.', 'a.c': 'Inténtalo de nuevo.', 'a.d': 'No uses comas.' };
      t('the run uses the rules', 'la corrida usa las reglas; use AAAA-MM-DD; inténtelo de nuevo');
      const labels = ['Consulta', 'Activa', 'Usa'];
      const code = 'TU';
    `);
    expect(findings.map((f) => `${f.where} ${f.word}`)).toEqual([
      'src/modules/example.ts:2 usa',
      'src/modules/example.ts:3 revisa',
      'src/modules/example.ts:4 Tu',
      'src/modules/example.ts:4 Vuelve',
      'src/modules/example.ts:4 Inténtalo',
      'src/modules/example.ts:4 uses',
    ]);
  });
});
