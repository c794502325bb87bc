/**
 * The staging table of one import: a temporary table, dropped at the end of the transaction, that receives every row
 * with its line number while the file streams, so the cross-row checks (duplicates, unknown debtors) and the upsert
 * run as set-based SQL and the file never has to sit in memory.
 *
 * Rows go in batches of {@link STAGE_BATCH} with one multi-row `INSERT … SELECT FROM unnest($1::text[], …)`.
 * Measured on 100k obligation rows, staging takes ~0.3 s either way on PGlite (unnest 323 ms, COPY from a blob
 * 316 ms) and 0.17–0.25 s on PostgreSQL (COPY 173 ms, unnest 242 ms): too little to justify a second code path per
 * driver, so unnest it is, through the same query layer as everything else.
 *
 * Rows that failed validation are staged too (valid = false, external id only) so duplicate ids are found across
 * every line of the file; the other checks and the upsert read valid rows only.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/connection.ts';
import type { DebtorRecord, Entity, ObligationRecord, PaymentRecord } from '../records.ts';
import { textArray } from './sql.ts';

export const STAGE_TABLE = 'cobranza_import_stage';
export const STAGE_BATCH = 5000;

type SqlType = 'text' | 'bigint' | 'date' | 'jsonb';

interface StageColumn {
  name: string;
  type: SqlType;
}

const c = (name: string, type: SqlType = 'text'): StageColumn => ({ name, type });

/** Columns after (line, valid), in the order {@link stageValues} produces them. */
const COLUMNS: Readonly<Record<Entity, readonly StageColumn[]>> = {
  debtors: [
    c('external_id'), c('name'), c('type'), c('tax_id'), c('email'), c('phone'), c('whatsapp'), c('country'), c('region'),
    c('city'), c('postal_code'), c('time_zone'), c('tags', 'jsonb'), c('attributes', 'jsonb'),
  ],
  obligations: [
    c('external_id'), c('debtor_external_id'), c('kind'), c('product'), c('currency'), c('amount', 'bigint'),
    c('issued_on', 'date'), c('due_on', 'date'), c('portfolio'),
  ],
  payments: [
    c('external_id'), c('debtor_external_id'), c('obligation_external_id'), c('currency'), c('amount', 'bigint'),
    c('paid_on', 'date'), c('method'), c('reference'),
  ],
};

function stageValues(entity: Entity, record: DebtorRecord | ObligationRecord | PaymentRecord): Array<string | null> {
  if (entity === 'debtors') {
    const r = record as DebtorRecord;
    return [r.externalId, r.name, r.type, r.taxId, r.email, r.phone, r.whatsapp, r.country, r.region, r.city, r.postalCode, r.timeZone, JSON.stringify(r.tags), JSON.stringify(r.attributes)];
  }
  if (entity === 'obligations') {
    const r = record as ObligationRecord;
    return [r.externalId, r.debtorExternalId, r.kind, r.product, r.currency, r.amount.toString(), r.issuedOn, r.dueOn, r.portfolio];
  }
  const r = record as PaymentRecord;
  return [r.externalId, r.debtorExternalId, r.obligationExternalId, r.currency, r.amount.toString(), r.paidOn, r.method, r.reference];
}

/** Buffers rows and writes them to the staging table a batch at a time. */
export class StageWriter {
  private readonly db: Db;
  private readonly entity: Entity;
  private readonly columns: readonly StageColumn[];
  private lines: string[] = [];
  private valid: string[] = [];
  private values: Array<Array<string | null>>;
  private inflight: Promise<unknown> | null = null;
  /** Rows written so far (valid or not). */
  staged = 0;

  private constructor(db: Db, entity: Entity) {
    this.db = db;
    this.entity = entity;
    this.columns = COLUMNS[entity];
    this.values = this.columns.map(() => []);
  }

  /** Creates the staging table in the current transaction (it disappears at commit or rollback). */
  static async create(db: Db, entity: Entity): Promise<StageWriter> {
    const defs = COLUMNS[entity].map((col) => sql`${sql.identifier(col.name)} ${sql.raw(col.type)}`);
    await db.execute(sql`CREATE TEMPORARY TABLE ${sql.identifier(STAGE_TABLE)} (line integer NOT NULL, valid boolean NOT NULL, ${sql.join(defs, sql`, `)}) ON COMMIT DROP`);
    return new StageWriter(db, entity);
  }

  /** Stages a valid record. */
  async add(line: number, record: DebtorRecord | ObligationRecord | PaymentRecord): Promise<void> {
    this.push(line, true, stageValues(this.entity, record));
    if (this.lines.length >= STAGE_BATCH) await this.flush();
  }

  /** Stages a row that failed validation, keeping only its external id for the duplicate check. */
  async addInvalid(line: number, externalId: string | null): Promise<void> {
    const values: Array<string | null> = this.columns.map(() => null);
    values[0] = externalId;
    this.push(line, false, values);
    if (this.lines.length >= STAGE_BATCH) await this.flush();
  }

  private push(line: number, valid: boolean, values: Array<string | null>): void {
    this.lines.push(String(line));
    this.valid.push(valid ? 't' : 'f');
    values.forEach((v, i) => this.values[i]!.push(v));
  }

  /**
   * Sends the buffered rows without waiting for them: the next batch is read and validated while the database writes
   * this one (on PostgreSQL that is a second core at work). At most one batch is in flight; its failure surfaces at
   * the next flush or at {@link finish}.
   */
  async flush(): Promise<void> {
    await this.settle();
    if (this.lines.length === 0) return;
    const names = this.columns.map((col) => sql.identifier(col.name));
    const casts: SQL[] = this.columns.map((col) => sql`u.${sql.identifier(col.name)}::${sql.raw(col.type)}`);
    const arrays = [textArray(this.lines), textArray(this.valid), ...this.values.map((v) => textArray(v))];
    // Drizzle runs a query each time its result is awaited; `.then` here runs it exactly once.
    const writing = this.db.execute(sql`
      INSERT INTO ${sql.identifier(STAGE_TABLE)} (line, valid, ${sql.join(names, sql`, `)})
      SELECT u.line::integer, u.valid::boolean, ${sql.join(casts, sql`, `)}
      FROM unnest(${sql.join(arrays, sql`, `)}) AS u(line, valid, ${sql.join(names, sql`, `)})`).then(() => undefined);
    // Awaited by settle(); this only keeps a failure from counting as unhandled in the meantime.
    writing.catch(() => undefined);
    this.inflight = writing;
    this.staged += this.lines.length;
    this.lines = [];
    this.valid = [];
    this.values = this.columns.map(() => []);
  }

  /** Writes what is buffered and waits until every batch is in the table. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
  }

  /** Waits for the batch in flight, if any, ignoring its failure (for leaving early: the transaction rolls back). */
  async quiesce(): Promise<void> {
    await this.settle().catch(() => undefined);
  }

  private async settle(): Promise<void> {
    const pending = this.inflight;
    this.inflight = null;
    if (pending) await pending;
  }

  /** Gives the planner real row counts before the checks and the upsert join against the staged rows. */
  async analyze(): Promise<void> {
    await this.db.execute(sql`ANALYZE ${sql.identifier(STAGE_TABLE)}`);
  }
}

/** The staging table, for the SQL of checks and upserts. */
export const stage = sql.identifier(STAGE_TABLE);
