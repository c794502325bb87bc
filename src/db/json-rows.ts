/**
 * Table (or view) rows read as JSON inside a larger statement (`to_json(t)`), turned into the very objects Drizzle
 * returns for that table: keyed by field name, each value through its column's own driver mapping. A read model can then gather
 * several tables in one statement and still hand each module's view functions the rows they expect.
 */
import { Column, getTableColumns, getViewSelectedFields, is, Table, type View } from 'drizzle-orm';

/**
 * Parses JSON text keeping integers beyond 2^53 exact (as bigint), so money in minor units survives the trip; inside
 * json/jsonb columns {@link rowFromJson} turns them back into numbers, as the driver's own parsing would.
 */
export function parseJsonExact(text: string): unknown {
  // An integer beyond 2^53 (9007199254740992) has 17 digits, or 16 starting with 9; without such a run of digits the
  // plain parse, several times faster, is exact.
  if (!UNSAFE_DIGITS.test(text)) return JSON.parse(text);
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source) ? BigInt(context.source) : value,
  );
}

const UNSAFE_DIGITS = /\d{17}|9\d{15}/;

function withoutBigints(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(withoutBigints);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutBigints(v)]));
  return value;
}

type Source = Table | View;

const columnLists = new WeakMap<Source, Array<[string, Column]>>();

function columnsOf(source: Source): Array<[string, Column]> {
  let list = columnLists.get(source);
  if (!list) {
    const fields: Record<string, unknown> = is(source, Table) ? getTableColumns(source) : getViewSelectedFields(source as View);
    list = Object.entries(fields).filter((entry): entry is [string, Column] => is(entry[1], Column));
    columnLists.set(source, list);
  }
  return list;
}

/** One row of `table` (or view) from its JSON form (keys are column names). */
export function rowFromJson<T extends Source>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of columnsOf(table)) {
    const value = json[column.name];
    if (value === null || value === undefined) out[key] = null;
    else if (column.dataType === 'json') out[key] = column.mapFromDriverValue(withoutBigints(value));
    else out[key] = column.mapFromDriverValue(value);
  }
  return out as T['$inferSelect'];
}

/** Rows of `table` (or view) from a JSON array of them (null reads as none). */
export function rowsFromJson<T extends Source>(table: T, json: unknown): Array<T['$inferSelect']> {
  return Array.isArray(json) ? json.map((r) => rowFromJson(table, r as Record<string, unknown>)) : [];
}
