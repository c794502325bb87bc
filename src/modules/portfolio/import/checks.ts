/**
 * Checks that need the whole file or the database, run as SQL over the staging table once every row is in:
 * duplicate external ids within the file, references to debtors and obligations that do not exist (in this company),
 * a payment naming another debtor's obligation, and a currency or debtor change on an obligation that already has
 * money applied to it. Each check fetches at most the room left under the error cap but counts every hit.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/connection.ts';
import type { Entity } from '../records.ts';
import { t, type Text } from '../../../domain/text.ts';
import type { ErrorCollector } from './errors.ts';
import { rows } from './sql.ts';
import { stage } from './stage.ts';

interface Hit {
  line: number;
  value: string;
  other: string | null;
  n: number | null;
  lines: number[] | null;
  total: number;
}

/** Runs `body` (which selects line, value and optionally other, n, lines) and reports each hit as an error. */
async function check(db: Db, errors: ErrorCollector, body: SQL, column: string, reason: (hit: Hit) => Text): Promise<void> {
  const limit = Math.max(1, errors.room);
  const hits = await rows<Hit>(db, sql`SELECT q.*, count(*) OVER ()::int AS total FROM (${body}) q ORDER BY q.line LIMIT ${limit}`);
  if (hits.length === 0) return;
  const kept = errors.room > 0 ? hits.map((h) => ({ line: h.line, column, reason: reason(h) })) : [];
  errors.addBulk(kept, hits[0]!.total);
}

function listLines(lines: number[], n: number): Text {
  const more = n - lines.length;
  return t(lines.join(', ') + (more > 0 ? ` and ${more} more` : ''), lines.join(', ') + (more > 0 ? ` y ${more} más` : ''));
}

/**
 * Runs every check for `entity`; `columnName` turns a canonical column into the file's header, and `present` holds
 * the canonical columns the file has (a column it lacks leaves stored values as they are).
 */
export async function runChecks(db: Db, companyId: number, entity: Entity, errors: ErrorCollector, columnName: (column: string) => string, present: ReadonlySet<string>): Promise<void> {
  await check(
    db,
    errors,
    sql`SELECT s.line, s.external_id AS value, NULL::text AS other, d.n, d.lines
        FROM ${stage} s
        JOIN (SELECT external_id, count(*)::int AS n, (array_agg(line ORDER BY line))[1:10] AS lines
              FROM ${stage} WHERE external_id IS NOT NULL GROUP BY external_id HAVING count(*) > 1) d USING (external_id)`,
    columnName('external_id'),
    (h) => {
      const lines = listLines(h.lines ?? [], h.n ?? 0);
      return t(
        `"${h.value}" appears ${h.n} times in the file (lines ${lines.en}); each external id may appear once`,
        `"${h.value}" aparece ${h.n} veces en el archivo (líneas ${lines.es}); cada id externo puede aparecer una sola vez`,
      );
    },
  );
  if (entity === 'debtors') return;

  await check(
    db,
    errors,
    sql`SELECT s.line, s.debtor_external_id AS value FROM ${stage} s
        WHERE s.valid AND NOT EXISTS (SELECT 1 FROM debtors d WHERE d.company_id = ${companyId} AND d.external_id = s.debtor_external_id)`,
    columnName('debtor_external_id'),
    (h) => t(`debtor "${h.value}" does not exist; import the debtors first`, `el deudor "${h.value}" no existe; importe primero los deudores`),
  );

  if (entity === 'obligations') {
    await check(
      db,
      errors,
      sql`SELECT s.line, s.currency AS value, o.currency::text AS other FROM ${stage} s
          JOIN obligations o ON o.company_id = ${companyId} AND o.external_id = s.external_id
          WHERE s.valid AND o.currency <> s.currency
            AND EXISTS (SELECT 1 FROM payment_allocations a WHERE a.company_id = ${companyId} AND a.obligation_id = o.id)`,
      columnName('currency'),
      (h) =>
        t(
          `cannot change from ${h.other} to ${h.value}: payments are already applied to this obligation in ${h.other}; reverse them first`,
          `no se puede cambiar de ${h.other} a ${h.value}: este documento ya tiene pagos aplicados en ${h.other}; reviértalos primero`,
        ),
    );
    // Moving a document to another debtor would leave its payments with a debtor who no longer owes it: what they
    // paid would silently go to the old debtor's other documents or credit. Refused as a currency change is.
    await check(
      db,
      errors,
      sql`SELECT s.line, s.debtor_external_id AS value, d.external_id AS other FROM ${stage} s
          JOIN obligations o ON o.company_id = ${companyId} AND o.external_id = s.external_id
          JOIN debtors d ON d.id = o.debtor_id
          WHERE s.valid AND d.external_id <> s.debtor_external_id
            AND (EXISTS (SELECT 1 FROM payment_allocations a WHERE a.company_id = ${companyId} AND a.obligation_id = o.id)
                 OR EXISTS (SELECT 1 FROM payments p WHERE p.company_id = ${companyId} AND p.obligation_id = o.id AND p.reversed_at IS NULL))`,
      columnName('debtor_external_id'),
      (h) =>
        t(
          `cannot move this obligation from debtor "${h.other}" to "${h.value}": payments of "${h.other}" are applied to it or name it; reverse them first`,
          `no se puede pasar este documento del deudor "${h.other}" a "${h.value}": tiene pagos de "${h.other}" aplicados o que lo nombran; reviértalos primero`,
        ),
    );
    return;
  }

  // A reversed payment stays as it was reversed: sent again unchanged it is a no-op (a re-exported file), but its money
  // (debtor, currency, amount, date, named obligation) cannot change; a correction is a new payment. The named
  // obligation is compared whenever the file has the column, as the upsert then writes it (a blank cell clears it).
  // The reversed payments come from their partial index (payments_reversed_idx): few, so a file that names none of
  // them costs next to nothing, and no payments import reads every payment of the company.
  await check(
    db,
    errors,
    // The day of the reversal is the company's calendar day.
    sql`SELECT s.line, s.external_id AS value, to_char(p.reversed_at AT TIME ZONE c.time_zone, 'YYYY-MM-DD') AS other FROM ${stage} s
          JOIN payments p ON p.company_id = ${companyId} AND p.external_id = s.external_id AND p.reversed_at IS NOT NULL
          JOIN companies c ON c.id = p.company_id
          JOIN debtors d ON d.id = p.debtor_id
          LEFT JOIN obligations o ON o.id = p.obligation_id
         WHERE s.valid AND ((d.external_id, p.currency::text, p.amount, p.paid_on) IS DISTINCT FROM (s.debtor_external_id, s.currency::text, s.amount, s.paid_on)
                ${present.has('obligation_external_id') ? sql`OR o.external_id IS DISTINCT FROM s.obligation_external_id` : sql``})`,
    columnName('external_id'),
    (h) =>
      t(
        `payment "${h.value}" was reversed on ${h.other}; a reversed payment cannot be changed — record the correction as a new payment`,
        `el pago "${h.value}" se revirtió el ${h.other}; un pago revertido no puede cambiarse: registre la corrección como un pago nuevo`,
      ),
  );

  // One pass over the named obligations: one that does not exist, or belongs to another debtor. One owed in another
  // currency is accepted: the payment applies to its own currency's obligations, or stays as credit (DOMAIN.md §2).
  await check(
    db,
    errors,
    sql`SELECT s.line, s.obligation_external_id AS value, od.external_id AS other FROM ${stage} s
        LEFT JOIN obligations o ON o.company_id = ${companyId} AND o.external_id = s.obligation_external_id
        LEFT JOIN debtors od ON od.id = o.debtor_id
        WHERE s.valid AND s.obligation_external_id IS NOT NULL AND (o.id IS NULL OR od.external_id <> s.debtor_external_id)`,
    columnName('obligation_external_id'),
    (h) =>
      h.other === null
        ? t(`obligation "${h.value}" does not exist`, `el documento "${h.value}" no existe`)
        : t(`obligation "${h.value}" belongs to debtor "${h.other}", not to this payment's debtor`, `el documento "${h.value}" es del deudor "${h.other}", no del deudor de este pago`),
  );
}
