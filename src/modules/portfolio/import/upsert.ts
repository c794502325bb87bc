/**
 * Writes the staged rows: `INSERT … SELECT … ON CONFLICT (company_id, external_id) DO UPDATE … WHERE (stored) IS
 * DISTINCT FROM (new)`, so a row that did not change is not touched (no new row version, updated_at kept) and
 * re-importing a file is a no-op. `RETURNING (xmax = 0)` tells inserted from updated rows; unchanged = staged − both.
 *
 * Columns a file does not carry are left as they are on existing rows (and take their defaults on new ones): a file
 * of ids and e-mails updates e-mails without blanking phones. Derived columns follow what they derive from: a
 * debtor's time zone is rewritten when the file carries its time zone, country or region.
 *
 * Obligations and payments change balances: the debtors they touch (and, when a row moves to another debtor, the
 * debtor it leaves) are collected in a temporary table and recomputed afterwards.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/connection.ts';
import type { Entity } from '../records.ts';
import { rows, textArray } from './sql.ts';
import { stage } from './stage.ts';

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/** What the file carries, which decides the columns an update may touch. */
export interface UpsertInput {
  companyId: number;
  entity: Entity;
  present: ReadonlySet<string>;
  attributeKeys: readonly string[];
  /** Whether obligations' portfolio was chosen (a column or an explicit option), so existing rows move to it. */
  portfolioChosen: boolean;
  now: Date;
}

const AFFECTED = sql.identifier('cobranza_import_affected');

interface Column {
  name: string;
  /** Value for a new row, read from the select list (aliases s = stage, d = debtor, p = portfolio, o = obligation). */
  value: SQL;
  /** Whether an update writes (and compares) it. */
  update: boolean;
}

function id(name: string): SQL {
  return sql`${sql.identifier(name)}`;
}

/** Upserts the staged rows of `input.entity` and returns the counts; balances are the caller's next step. */
export async function upsertStaged(db: Db, input: UpsertInput): Promise<UpsertCounts> {
  const { companyId, present } = input;
  const now = sql`${input.now.toISOString()}::timestamptz`;
  let table: string;
  let columns: Column[];
  let from: SQL;
  let extraSet: SQL[] = [];
  let extraChange: SQL[] = [];
  if (input.entity === 'debtors') {
    table = 'debtors';
    const has = (name: string) => present.has(name);
    const place = has('country') || has('region');
    columns = [
      { name: 'external_id', value: sql`s.external_id`, update: false },
      { name: 'name', value: sql`s.name`, update: true },
      { name: 'type', value: sql`s.type`, update: has('type') },
      { name: 'tax_id', value: sql`s.tax_id`, update: has('tax_id') },
      { name: 'email', value: sql`s.email`, update: has('email') },
      { name: 'phone', value: sql`s.phone`, update: has('phone') },
      { name: 'whatsapp', value: sql`s.whatsapp`, update: has('whatsapp') },
      { name: 'country', value: sql`s.country`, update: place },
      { name: 'region', value: sql`s.region`, update: has('region') },
      { name: 'city', value: sql`s.city`, update: has('city') },
      { name: 'postal_code', value: sql`s.postal_code`, update: has('postal_code') },
      { name: 'time_zone', value: sql`s.time_zone`, update: place || has('time_zone') },
      { name: 'tags', value: sql`ARRAY(SELECT jsonb_array_elements_text(s.tags))`, update: has('tags') },
      { name: 'attributes', value: sql`s.attributes`, update: false },
    ];
    from = sql`FROM ${stage} s`;
    if (input.attributeKeys.length > 0) {
      // Attributes merge: the file's attribute columns replace those keys (a blank cell removes one), others stay.
      const merged = sql`((t.attributes - ${textArray(input.attributeKeys)}) || excluded.attributes)`;
      extraSet = [sql`attributes = ${merged}`];
      extraChange = [sql`${merged} IS DISTINCT FROM t.attributes`];
    }
  } else if (input.entity === 'obligations') {
    table = 'obligations';
    columns = [
      { name: 'external_id', value: sql`s.external_id`, update: false },
      { name: 'portfolio_id', value: sql`p.id`, update: input.portfolioChosen },
      { name: 'debtor_id', value: sql`d.id`, update: true },
      { name: 'kind', value: sql`s.kind`, update: present.has('kind') },
      { name: 'product', value: sql`s.product`, update: present.has('product') },
      { name: 'currency', value: sql`s.currency`, update: true },
      { name: 'amount', value: sql`s.amount`, update: true },
      // Equal to the amount until allocation says otherwise; debtors with payments are recomputed right after.
      { name: 'balance', value: sql`s.amount`, update: false },
      { name: 'issued_on', value: sql`s.issued_on`, update: present.has('issued_on') },
      { name: 'due_on', value: sql`s.due_on`, update: true },
    ];
    extraSet = [sql`balance = excluded.amount`];
    from = sql`FROM ${stage} s
      JOIN debtors d ON d.company_id = ${companyId} AND d.external_id = s.debtor_external_id
      JOIN portfolios p ON p.company_id = ${companyId} AND p.name = s.portfolio`;
  } else {
    table = 'payments';
    columns = [
      { name: 'external_id', value: sql`s.external_id`, update: false },
      { name: 'debtor_id', value: sql`d.id`, update: true },
      { name: 'obligation_id', value: sql`o.id`, update: present.has('obligation_external_id') },
      { name: 'currency', value: sql`s.currency`, update: true },
      { name: 'amount', value: sql`s.amount`, update: true },
      // Nothing unapplied until the recompute that follows every payments upsert says otherwise: most payments apply
      // in full, so their rows are written once (an unapplied amount is in a partial index, and updating it from the
      // full amount to 0 rewrote every index entry of almost every new payment).
      { name: 'unapplied', value: sql`0`, update: false },
      { name: 'paid_on', value: sql`s.paid_on`, update: true },
      { name: 'method', value: sql`s.method`, update: present.has('method') },
      { name: 'reference', value: sql`s.reference`, update: present.has('reference') },
    ];
    from = sql`FROM ${stage} s
      JOIN debtors d ON d.company_id = ${companyId} AND d.external_id = s.debtor_external_id
      LEFT JOIN obligations o ON o.company_id = ${companyId} AND o.external_id = s.obligation_external_id`;
  }

  // The upsert sorts the staged rows by line (so ids follow the file); under the default 4 MB that sort of a large
  // file spills to disk. Only this transaction is affected.
  await db.execute(sql`SET LOCAL work_mem = '64MB'`);
  const updated = columns.filter((c) => c.update);
  const set = [...updated.map((c) => sql`${id(c.name)} = excluded.${id(c.name)}`), ...extraSet, sql`updated_at = ${now}`];
  const changed = [
    ...(updated.length > 0 ? [sql`(${sql.join(updated.map((c) => sql`t.${id(c.name)}`), sql`, `)}) IS DISTINCT FROM (${sql.join(updated.map((c) => sql`excluded.${id(c.name)}`), sql`, `)})`] : []),
    ...extraChange,
  ];
  const insert = sql`
    INSERT INTO ${id(table)} AS t (company_id, ${sql.join(columns.map((c) => id(c.name)), sql`, `)}, created_at, updated_at)
    SELECT ${companyId}, ${sql.join(columns.map((c) => c.value), sql`, `)}, ${now}, ${now}
    ${from}
    ORDER BY s.line
    ON CONFLICT (company_id, external_id) DO UPDATE SET ${sql.join(set, sql`, `)}
    WHERE ${changed.length > 0 ? sql.join(changed, sql` OR `) : sql`false`}`;

  if (input.entity === 'debtors') {
    const [counts] = await rows<UpsertCounts>(
      db,
      sql`WITH up AS (${insert} RETURNING (t.xmax = 0) AS fresh)
          SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM up`,
    );
    return counts!;
  }

  await db.execute(sql`CREATE TEMPORARY TABLE ${AFFECTED} (debtor_id bigint PRIMARY KEY) ON COMMIT DROP`);
  if (input.entity === 'obligations') await placePortfolios(db, companyId, now);
  // A row moving to another debtor changes the balances of the debtor it leaves, too.
  await db.execute(sql`
    INSERT INTO ${AFFECTED} (debtor_id)
    SELECT DISTINCT x.debtor_id FROM ${stage} s
    JOIN ${id(table)} x ON x.company_id = ${companyId} AND x.external_id = s.external_id
    JOIN debtors d ON d.company_id = ${companyId} AND d.external_id = s.debtor_external_id
    WHERE x.debtor_id <> d.id
    ON CONFLICT DO NOTHING`);
  const [counts] = await rows<UpsertCounts>(
    db,
    sql`WITH up AS (${insert} RETURNING t.debtor_id, (t.xmax = 0) AS fresh),
             touched AS (INSERT INTO ${AFFECTED} (debtor_id) SELECT DISTINCT debtor_id FROM up ON CONFLICT DO NOTHING)
        SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM up`,
  );
  return counts!;
}

/**
 * Creates the portfolios the staged obligations name that do not exist yet. A name that differs from an existing
 * portfolio's (or from one written earlier in the file) only in case or surrounding spaces means that portfolio: an
 * ERP writing "Retail" on some rows and "retail" on others must not split a debtor's account in two. The staged rows
 * take the portfolio's name as stored.
 */
async function placePortfolios(db: Db, companyId: number, now: SQL): Promise<void> {
  const named = await rows<{ name: string }>(db, sql`SELECT s.portfolio AS name, min(s.line) AS first FROM ${stage} s GROUP BY s.portfolio ORDER BY first`);
  const existing = await rows<{ name: string }>(db, sql`SELECT name FROM portfolios WHERE company_id = ${companyId} ORDER BY id`);
  const canonical = new Map<string, string>();
  const fold = (name: string) => name.trim().toLowerCase();
  for (const { name } of [...existing, ...named]) if (!canonical.has(fold(name))) canonical.set(fold(name), name);
  const renamed = named.filter((n) => canonical.get(fold(n.name)) !== n.name).map((n) => [n.name, canonical.get(fold(n.name))!]);
  if (renamed.length > 0) {
    await db.execute(sql`
      UPDATE ${stage} s SET portfolio = r.canonical
        FROM unnest(${textArray(renamed.map(([from]) => from!))}, ${textArray(renamed.map(([, to]) => to!))}) AS r(named, canonical)
       WHERE s.portfolio = r.named`);
  }
  const known = new Set(existing.map((e) => e.name));
  const created = [...new Set(named.map((n) => canonical.get(fold(n.name))!))].filter((name) => !known.has(name));
  if (created.length > 0) {
    await db.execute(sql`
      INSERT INTO portfolios (company_id, name, created_at)
      SELECT ${companyId}::bigint, n.name, ${now} FROM unnest(${textArray(created)}) AS n(name)
      ON CONFLICT (company_id, name) DO NOTHING`);
  }
}

/**
 * The debtors whose balances the upsert may have changed. After an obligations import only debtors with payments
 * (or allocations) need allocating: for everyone else balance = amount, which the upsert already wrote.
 */
export async function affectedDebtors(db: Db, companyId: number, entity: Entity): Promise<string[]> {
  if (entity === 'debtors') return [];
  const filter =
    entity === 'obligations'
      ? sql`WHERE EXISTS (SELECT 1 FROM payments p WHERE p.company_id = ${companyId} AND p.debtor_id = a.debtor_id AND p.reversed_at IS NULL)
           OR EXISTS (SELECT 1 FROM payment_allocations x WHERE x.company_id = ${companyId} AND x.debtor_id = a.debtor_id)`
      : sql``;
  const found = await rows<{ id: string }>(db, sql`SELECT a.debtor_id::text AS id FROM ${AFFECTED} a ${filter} ORDER BY a.debtor_id`);
  return found.map((r) => r.id);
}
