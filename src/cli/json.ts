/**
 * The JSON the CLI prints (`--json`, `--format json`) and writes (`--report`): snake_case keys like the HTTP API,
 * whatever shape the use case returned (`dryRun` → `dry_run`), amounts (bigint) as decimal strings and instants as
 * ISO 8601 strings. Keys that are not camelCase stay as they are: snake_case ones, currency codes (`MXN`), phases.
 */

/** `dryRun` → `dry_run`, `smsURL` → `sms_url`; anything that is not a camelCase identifier is left alone. */
export function snakeCase(key: string): string {
  if (!/^[a-z][A-Za-z0-9]*$/.test(key) || !/[A-Z]/.test(key)) return key;
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

export interface SnakeOptions {
  /**
   * Keys (as written out) whose value is copied as it is, keys inside included: data keyed by what people typed
   * (a debtor's custom attributes) or documents with a format of their own that files and the API share.
   */
  verbatim?: readonly string[];
}

/** Keys whose values are the user's own data, never renamed. */
const ALWAYS_VERBATIM = ['attributes'];

/** A copy of `value` ready for JSON.stringify with snake_case keys; see the module comment. */
export function snakeKeys(value: unknown, options: SnakeOptions = {}): unknown {
  const verbatim = new Set([...ALWAYS_VERBATIM, ...(options.verbatim ?? [])]);
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'bigint') return v.toString();
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Date) return v.toISOString();
    if (depth > 64) return v;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    const json = (v as { toJSON?: unknown }).toJSON;
    if (typeof json === 'function') return walk((json as () => unknown).call(v), depth + 1);
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v)) {
      if (inner === undefined) continue;
      const name = snakeCase(key);
      out[name] = verbatim.has(name) ? plain(inner) : walk(inner, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}

/** A verbatim value still needs bigints as strings to be written at all. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null');
}

/** Pretty-printed (two spaces) snake_case JSON and a final newline, as every command prints it. */
export function jsonText(value: unknown, options?: SnakeOptions): string {
  return `${JSON.stringify(snakeKeys(value, options), null, 2)}\n`;
}

/** One value on one line, for JSON arrays streamed row by row. */
export function jsonLine(value: unknown, options?: SnakeOptions): string {
  return JSON.stringify(snakeKeys(value, options));
}
