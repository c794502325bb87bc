/**
 * Word-prefix search over names, case- and accent-insensitive ("hernan gua" finds "María Guadalupe Hernández"),
 * served by a GIN index on the same expression (debtors_name_search_idx in schema.ts). The index and the queries
 * must build the document with this one function, or PostgreSQL will not match the index to the query. Identifiers
 * written with or without separators (tax ids) are searched by the start of their bare letters and digits, through a
 * btree index on bareIdentifier (debtors_tax_id_search_idx).
 *
 * The document: the accented letters of Spanish and Portuguese folded to their plain letter, lower case, every other
 * character that is not a-z or 0-9 turned into a space, as a 'simple' text-search vector (no stemming, no stop words).
 * The query side folds the same way in JavaScript and asks for every word as a prefix.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

// Both cases are folded before lower(): a database whose character type is plain C lower-cases ASCII letters only.
const ACCENTED = 'áàâäãéèêëíìîïóòôöõúùûüñçýÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇÝ';
const PLAIN = 'aaaaaeeeeiiiiooooouuuuncyAAAAAEEEEIIIIOOOOOUUUUNCY';

/** The indexed search document of a text column (IMMUTABLE, so it can be indexed). */
export function searchDocument(column: SQLWrapper): SQL {
  return sql`to_tsvector('simple'::regconfig, regexp_replace(lower(translate(${column}, ${sql.raw(`'${ACCENTED}'`)}, ${sql.raw(`'${PLAIN}'`)})), '[^a-z0-9]+', ' ', 'g'))`;
}

const FOLD = new Map([...ACCENTED].map((c, i) => [c, PLAIN[i]!]));

/**
 * Folds text the way searchDocument does and returns its words (at most 8), or [] when nothing searchable is left.
 * The text is composed (NFC) first, as stored names are (src/modules/portfolio/records.ts): typed or pasted in
 * decomposed form, "Dvor" + combining caron + "ak" would otherwise be the word "dvorak", which no stored name has.
 */
export function searchWords(text: string): string[] {
  const folded = [...text.normalize('NFC')].map((c) => FOLD.get(c) ?? c).join('').toLowerCase();
  return folded.split(/[^a-z0-9]+/).filter(Boolean).slice(0, 8);
}

/** The condition "every word of `text` starts a word of `column`", or undefined when `text` has no searchable word. */
export function matchesWords(column: SQLWrapper, text: string): SQL | undefined {
  const words = searchWords(text);
  if (words.length === 0) return undefined;
  // Words are [a-z0-9]+ only, so the query text cannot carry tsquery syntax.
  return sql`${searchDocument(column)} @@ to_tsquery('simple'::regconfig, ${words.map((w) => `${w}:*`).join(' & ')})`;
}

/**
 * An identifier's letters and digits in capitals: RUT "12.345.678-5" → "123456785", RFC "abc-010101" → "ABC010101"
 * (IMMUTABLE, so it can be indexed; the index uses text_pattern_ops so a LIKE prefix can read it in any collation).
 */
export function bareIdentifier(column: SQLWrapper): SQL {
  return sql`upper(regexp_replace(${column}, '[^0-9A-Za-z]', '', 'g'))`;
}

/**
 * The condition "the identifier in `column` starts with the letters and digits of `text`", ignoring case and any
 * separator on either side, or undefined when `text` has no letter or digit.
 */
export function startsIdentifier(column: SQLWrapper, text: string): SQL | undefined {
  // Only [0-9A-Z] is left, so the pattern holds no LIKE wildcard.
  const bare = text.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (bare === '') return undefined;
  return sql`${bareIdentifier(column)} LIKE ${`${bare}%`}`;
}
