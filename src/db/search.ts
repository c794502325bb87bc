/**
 * Word-prefix search over names, case- and accent-insensitive ("hernan gua" finds "María Guadalupe Hernández"),
 * served by a GIN index on the same expression (debtors_name_search_idx in schema.ts). The index and the queries
 * must build the document with this one function, or PostgreSQL will not match the index to the query.
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

/** Folds text the way searchDocument does and returns its words (at most 8), or [] when nothing searchable is left. */
export function searchWords(text: string): string[] {
  const folded = [...text].map((c) => FOLD.get(c) ?? c).join('').toLowerCase();
  return folded.split(/[^a-z0-9]+/).filter(Boolean).slice(0, 8);
}

/** The condition "every word of `text` starts a word of `column`", or undefined when `text` has no searchable word. */
export function matchesWords(column: SQLWrapper, text: string): SQL | undefined {
  const words = searchWords(text);
  if (words.length === 0) return undefined;
  // Words are [a-z0-9]+ only, so the query text cannot carry tsquery syntax.
  return sql`${searchDocument(column)} @@ to_tsquery('simple'::regconfig, ${words.map((w) => `${w}:*`).join(' & ')})`;
}
