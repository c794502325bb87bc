/**
 * Wording a collection message must never use (DOMAIN.md §3): threats, anything that implies a lawsuit or looks
 * judicial, credit-bureau threats, disparaging labels, pressure through third parties. Matching is by whole word or
 * phrase, case- and accent-insensitive ("Buró" = "buro"), so "issue" never matches "sue".
 *
 * The list is deliberately strict (when in doubt, the stricter reading): a company that needs one of these words in
 * a legitimate sentence can rephrase it. Only the template's own text is checked, never the values filled in.
 */

/** Spanish words and phrases, written without accents (matching ignores them). */
export const PROHIBITED_WORDING_ES: readonly string[] = Object.freeze([
  // Lawsuits, courts and judicial-looking wording.
  'demanda', 'demandas', 'demandar', 'demandaremos', 'demandado', 'demandada', 'juicio', 'juicios', 'juzgado', 'juzgados',
  'juez', 'jueza', 'tribunal', 'tribunales', 'judicial', 'judiciales', 'judicialmente', 'extrajudicial', 'extrajudiciales',
  'accion legal', 'acciones legales', 'proceso legal', 'procedimiento legal', 'medidas legales', 'consecuencias legales',
  'via legal', 'instancias legales', 'area legal', 'departamento legal', 'departamento juridico', 'juridico', 'juridica',
  'abogado', 'abogados', 'notificacion', 'requerimiento', 'emplazamiento', 'expediente', 'citatorio', 'diligencia',
  'actuario', 'notario',
  // Seizure, arrest, criminal matters.
  'embargo', 'embargos', 'embargar', 'embargaremos', 'embargable', 'remate', 'rematar', 'incautar', 'decomiso',
  'carcel', 'prision', 'arresto', 'arrestar', 'aprehension', 'detencion', 'detenido', 'policia', 'ministerio publico',
  'fiscalia', 'penal', 'penalmente', 'delito', 'fraude', 'denuncia', 'denunciar', 'orden de captura',
  // Credit bureaus and public lists used as threats.
  'buro', 'buro de credito', 'circulo de credito', 'dicom', 'boletin comercial', 'datacredito', 'cifin', 'infocorp',
  'equifax', 'experian', 'transunion', 'lista negra', 'listas negras', 'boletinado', 'reportado', 'reportaremos',
  // Threats, ultimatums, disparaging labels, third parties.
  'amenaza', 'consecuencias', 'ultimo aviso', 'ultima advertencia', 'advertencia', 'sancion', 'sanciones', 'moroso',
  'morosa', 'morosos', 'deudor moroso', 'verguenza', 'vecinos', 'empleador', 'su jefe', 'sus familiares', 'exhibir',
]);

/** English words and phrases. */
export const PROHIBITED_WORDING_EN: readonly string[] = Object.freeze([
  'lawsuit', 'lawsuits', 'sue', 'sued', 'suing', 'court', 'courts', 'judge', 'judgment', 'judgement', 'judicial',
  'legal action', 'legal proceedings', 'legal department', 'legal consequences', 'attorney', 'attorneys', 'lawyer',
  'lawyers', 'summons', 'subpoena', 'warrant', 'notice of default', 'final demand', 'demand letter',
  'garnish', 'garnishment', 'seize', 'seizure', 'lien', 'repossess', 'repossession', 'foreclose', 'foreclosure',
  'arrest', 'jail', 'prison', 'police', 'criminal', 'crime', 'fraud', 'prosecute', 'prosecution',
  'credit bureau', 'credit bureaus', 'credit report', 'credit reporting', 'credit score', 'blacklist', 'blacklisted',
  'threat', 'consequences', 'final warning', 'last warning', 'warning', 'penalty', 'deadbeat', 'delinquent',
  'your employer', 'your neighbors', 'your family', 'embarrass', 'shame',
]);

export const PROHIBITED_WORDING: readonly string[] = Object.freeze([...PROHIBITED_WORDING_ES, ...PROHIBITED_WORDING_EN]);

export interface WordingMatch {
  /** The phrase from the list that matched. */
  readonly phrase: string;
  /** Offset of the match in the text checked. */
  readonly offset: number;
  /** The text as written at that offset. */
  readonly text: string;
}

/** Lower case without accents, one UTF-16 unit for one unit so offsets stay those of the original. */
function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    // Characters outside the BMP (emoji…) are never part of a word on the list: two spaces keep the length.
    out += ch.length === 2 ? '  ' : ch.normalize('NFD').charAt(0).toLowerCase().charAt(0);
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}_])(?:${[...new Set(PROHIBITED_WORDING.map((p) => fold(p)))]
    .sort((a, b) => b.length - a.length)
    .map((p) => escapeRegExp(p).replace(/ /g, '\\s+'))
    .join('|')})(?![\\p{L}\\p{N}_])`,
  'gu',
);

/**
 * Prohibited words and phrases in `text`, in order. `text` should already have placeholders blanked out; for HTML,
 * tags blanked out (see `blankMarkup`).
 */
export function findProhibitedWording(text: string): WordingMatch[] {
  const folded = fold(text);
  const out: WordingMatch[] = [];
  for (const m of folded.matchAll(PATTERN)) {
    const matched = m[0].replace(/\s+/g, ' ');
    const phrase = PROHIBITED_WORDING.find((p) => fold(p) === matched) ?? matched;
    out.push({ phrase, offset: m.index, text: text.slice(m.index, m.index + m[0].length) });
  }
  return out;
}

/** Replaces HTML tags, comments and character references with spaces of the same length. */
export function blankMarkup(html: string): string {
  return html.replace(/<!--[\s\S]*?-->|<[^>]*>|&[#a-zA-Z0-9]+;/g, (m) => ' '.repeat(m.length));
}
