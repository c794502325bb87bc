/**
 * The yardsticks the product's own paths are measured against: the fastest possible load of the obligations file (a
 * raw COPY into a bare table, no indexes, constraints or validation) and a hand-written aging query over the loaded
 * obligations (one INSERT … SELECT, no history, segments or phase bookkeeping).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../src/db/connection.ts';

const RAW_TABLE = 'bench_raw_obligations';
const AGING_TABLE = 'bench_aging';

/** Same columns as the obligations CSV, typed the way the import reads them. */
const RAW_COLUMNS = 'external_id text, debtor_external_id text, kind text, product text, currency text, amount numeric, issued_on date, due_on date, portfolio text';

/** Milliseconds since an arbitrary origin; only differences matter. */
const now = () => performance.now();

/** Loads `csvPath` into a bare table with COPY (pg-copy-streams on PostgreSQL, /dev/blob on PGlite). */
export async function rawCopy(database: Database, csvPath: string): Promise<{ ms: number; rows: number }> {
  await database.query(sql.raw(`DROP TABLE IF EXISTS ${RAW_TABLE}`));
  await database.query(sql.raw(`CREATE TABLE ${RAW_TABLE} (${RAW_COLUMNS})`));
  const statement = `COPY ${RAW_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)`;
  const { backend } = database;
  const started = now();
  if (backend.kind === 'postgres') {
    const client = await backend.client.connect();
    try {
      const copy = client.query(copyFrom(statement));
      await pipeline(createReadStream(csvPath), copy);
      return { ms: now() - started, rows: copy.rowCount };
    } finally {
      client.release();
    }
  }
  // PGlite reads COPY input from a Blob it exposes as /dev/blob; reading the file is part of the load.
  const blob = new Blob([await readFile(csvPath)]);
  const result = await backend.client.query(`COPY ${RAW_TABLE} FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob });
  return { ms: now() - started, rows: result.affectedRows ?? 0 };
}

/**
 * Per debtor and currency: worst DPD of its open obligations, its bucket, balance and overdue balance, written to a
 * bare table. Only the INSERT is timed.
 */
export async function handWrittenAging(database: Database, companyId: number, asOf: string): Promise<{ ms: number; rows: number }> {
  await database.query(sql.raw(`DROP TABLE IF EXISTS ${AGING_TABLE}`));
  await database.query(sql.raw(`CREATE TABLE ${AGING_TABLE} (debtor_id bigint, currency text, days_past_due int, bucket text, balance bigint, overdue bigint)`));
  const d = sql`${asOf}::date`;
  const started = now();
  await database.query(sql`
    INSERT INTO ${sql.raw(AGING_TABLE)}
    SELECT debtor_id, currency, dpd,
           CASE WHEN dpd <= 0 THEN 'current' WHEN dpd <= 30 THEN '1-30' WHEN dpd <= 60 THEN '31-60' WHEN dpd <= 90 THEN '61-90'
                WHEN dpd <= 120 THEN '91-120' WHEN dpd <= 180 THEN '121-180' ELSE '181+' END,
           balance, overdue
      FROM (SELECT debtor_id, currency, max(${d} - due_on) AS dpd, sum(balance) AS balance,
                   coalesce(sum(balance) FILTER (WHERE due_on < ${d}), 0) AS overdue
              FROM obligations
             WHERE company_id = ${companyId} AND balance > 0
             GROUP BY debtor_id, currency) per_debtor`);
  const ms = now() - started;
  const [row] = await database.query<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${AGING_TABLE}`));
  return { ms, rows: Number(row?.n ?? 0) };
}
