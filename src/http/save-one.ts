/**
 * Saving one record from a JSON body through the portfolio's saveRecords, which validates exactly like a file
 * import. Its error paths name rows of a batch (`rows[0].amount`); a single-record body calls that `body.amount`.
 */
import { COLUMNS, normalizeHeader, saveRecords, type Entity, type SaveResult } from '../modules/portfolio/index.ts';
import type { Ctx } from '../modules/shared/context.ts';
import { AppError, compose, say, t, type Text } from '../modules/shared/errors.ts';

/** A row as saveRecords reads it: column → text; null in JSON means "clear", sent as a blank cell. */
export type Row = Record<string, string>;

/** Copies the present keys of `body` into a row: strings as they are, null as blank, absent keys left out. */
export function rowOf(body: Record<string, unknown>, keys: readonly string[]): Row {
  const row: Row = {};
  for (const key of keys) {
    const value = body[key];
    if (value === undefined) continue;
    row[key] = value === null ? '' : String(value);
  }
  return row;
}

/** Saves one record; returns whether it was created. `before` (the stored record) goes to the audit log. */
export async function saveOne(ctx: Ctx, entity: Entity, row: Row, before?: unknown): Promise<SaveResult & { created: boolean }> {
  try {
    const result = await saveRecords(ctx, { entity, rows: [row], before });
    return { ...result, created: result.inserted > 0 };
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed') {
      const details = error.detailTexts.map((d) => ({ ...d, ...(d.path !== undefined && { path: d.path.replace(/^rows\[0\]/, 'body') }) }));
      const text = error.text;
      // "1 problem in the debtors; nothing was saved" → "1 problem; nothing was saved": one record, not a list.
      throw new AppError('validation_failed', compose((l) => say(text, l).replace(l === 'es' ? / en (los|las) \w+; / : / in the \w+; /, '; ')), details);
    }
    throw error;
  }
}

/**
 * Extra debtor keys become custom attributes, but a key spelled like a column or one of its Spanish aliases
 * ("nombre") would be read as that column instead; such keys are refused rather than silently redirected.
 */
export function attributeKeyProblem(key: string): Text | null {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(key)) {
    return t(
      'attribute names are lower-case letters, digits and _ (not starting with a digit), at most 63',
      'los nombres de atributo son minúsculas, dígitos y _ (sin empezar con un dígito), 63 como máximo',
    );
  }
  const n = normalizeHeader(key);
  const clash = COLUMNS.debtors.find((c) => c.name === n || c.aliases.includes(n));
  return clash ? t(`"${key}" is read as the column ${clash.name}; choose another attribute name`, `"${key}" se lee como la columna ${clash.name}; elija otro nombre de atributo`) : null;
}
