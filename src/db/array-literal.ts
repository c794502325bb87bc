/**
 * A PostgreSQL array literal (`{"a","b",NULL}`) built from text values, bound as one text parameter and cast in SQL
 * (`$1::text[]`, `$1::bigint[]`). node-postgres serialises a JS array element by element with two regular-expression
 * replacements each, which was a fifth of the CPU an import spent in Node (the staging batches are arrays of 5,000);
 * here a value is copied as it is unless it holds a quote or a backslash, and both drivers receive the same text.
 */
import { sql, type SQL } from 'drizzle-orm';

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

export function arrayLiteral(values: ReadonlyArray<string | null>): string {
  const n = values.length;
  if (n === 0) return '{}';
  let nulls = 0;
  let escapes = false;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value === null || value === undefined) nulls++;
    else if (!escapes && NEEDS_ESCAPE.test(value)) escapes = true;
  }
  // A column a file does not carry is null in every row; most others are plain text in every row. Both are built by
  // native joins; only a batch mixing nulls and values, or holding a quote or backslash, goes element by element.
  if (nulls === n) return `{${'NULL,'.repeat(n - 1)}NULL}`;
  if (nulls === 0 && !escapes) return `{"${(values as string[]).join('","')}"}`;
  let out = '{';
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (i > 0) out += ',';
    // Every element is quoted, so only NULL (unquoted) is null; "NULL", "" and spaces stay text.
    if (value === null || value === undefined) out += 'NULL';
    else out += '"' + (NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, '\\$&') : value) + '"';
  }
  return out + '}';
}

/** One bound text[] parameter (drizzle would otherwise expand a JS array into a list), cast by the SQL. */
export function textArray(values: ReadonlyArray<string | null>): SQL {
  return sql`${arrayLiteral(values)}::text[]`;
}
