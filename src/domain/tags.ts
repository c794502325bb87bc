/**
 * Debtor tags ("vip", "nómina") are one tag whatever their case: "VIP" and "vip" are the same tag, an import or a save
 * keeps the first spelling it reads, and rules and filters find either spelling.
 *
 * Case is folded by one fixed table, the same in JavaScript and in SQL (translate(), not lower(), whose result depends
 * on the database's character type: a C database lower-cases ASCII letters only): A–Z and the accented capitals of
 * Spanish and Portuguese. Other letters keep their case on both sides, so the two never disagree. Accents are kept:
 * "nómina" and "nomina" stay two tags.
 */

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇÝ';
const LOWER = 'abcdefghijklmnopqrstuvwxyzáàâäãéèêëíìîïóòôöõúùûüñçý';
const FOLD = new Map([...UPPER].map((c, i) => [c, LOWER[i]!]));

/** The form two tags are compared in: `tagKey('VIP') === tagKey('vip')`. Give it composed (NFC) text, as stored. */
export function tagKey(tag: string): string {
  let key = '';
  for (const c of tag) key += FOLD.get(c) ?? c;
  return key;
}

/** {@link tagKey} in SQL, of the text expression `expression` (spliced as given: pass a column or an alias). */
export function tagKeySql(expression: string): string {
  return `translate(${expression}, '${UPPER}', '${LOWER}')`;
}
