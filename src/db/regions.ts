/**
 * A region typed in a list filter or an assignment rule, compared with a debtor's stored region the way a segment
 * rule's region literal is (src/domain/segment-rules.ts): read for the debtor's own country as an import reads a
 * debtor's region column, so "CDMX", "Ciudad de México" and "CMX" all find a Mexican debtor stored as CMX; for a
 * debtor of a country where the text names no region, the text as written.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { regionCodesFor } from '../domain/geography.ts';

/** The region `text` means for a debtor whose country is in `country`, as an SQL text expression. */
export function regionMeant(country: SQLWrapper, text: string): SQL {
  const value = text.trim().normalize('NFC');
  const codes = Object.entries(regionCodesFor(value));
  if (codes.length === 0) return sql`${value}::text`;
  const whens = sql.join(
    codes.map(([c, code]) => sql`WHEN ${c}::text THEN ${code}::text`),
    sql` `,
  );
  return sql`(CASE ${country}::text ${whens} ELSE ${value}::text END)`;
}
