/**
 * Shared set-up for import tests: a real database (PGlite or the PostgreSQL of DATABASE_URL), a company, a context
 * with a fixed clock, and helpers to write files and read back what was stored.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { createTestCompany, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';
import type { Ctx } from '../../src/modules/shared/context.ts';
import { importFile, type ImportFileOptions, type ImportResult } from '../../src/modules/portfolio/index.ts';

export interface World {
  database: TestDatabase;
  ctx: Ctx;
  dir: string;
  /** A context for another company (a clean slate inside the same database; also proves isolation). */
  otherCtx(slug?: string, country?: string): Promise<Ctx>;
  /** A context for a new company with a unique slug. */
  fresh(country?: string): Promise<Ctx>;
  close(): Promise<void>;
}

export async function createWorld(country = 'MX'): Promise<World> {
  const database = await createTestDatabase();
  const company = await createTestCompany(database, 'acme', country);
  const clock = fixedClock('2026-03-01T15:00:00Z');
  const dir = await mkdtemp(join(tmpdir(), 'cobranza-import-'));
  return {
    database,
    ctx: { database, clock, companyId: company.id, actor: 'test' },
    dir,
    async otherCtx(slug = 'other', otherCountry = country) {
      const other = await createTestCompany(database, slug, otherCountry);
      return { database, clock, companyId: other.id, actor: 'test' };
    },
    async fresh(otherCountry = country) {
      const other = await createTestCompany(database, `c${++companyNo}`, otherCountry);
      return { database, clock, companyId: other.id, actor: 'test' };
    },
    async close() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Creates a world before the file's tests and closes it after them; `set` receives it:
 * `let world: World; useWorld((w) => (world = w));`.
 */
export function useWorld(set: (world: World) => void, country?: string): void {
  let world: World | undefined;
  beforeAll(async () => {
    world = await createWorld(country);
    set(world);
  });
  afterAll(async () => {
    await world?.close();
  });
}

/** Header of a minimal obligations file. */
export const OBLIGATIONS_HEADER = 'external_id,debtor_external_id,currency,amount,due_on';
/** Header of a payments file that may name the obligation each payment is for. */
export const PAYMENTS_HEADER = 'external_id,debtor_external_id,obligation_external_id,currency,amount,paid_on';

let fileNo = 0;
let companyNo = 0;

/** Writes `content` to a fresh file in the world's directory and returns its path. */
export async function writeTemp(world: World, content: string | Buffer, ext = '.csv'): Promise<string> {
  const path = join(world.dir, `f${++fileNo}${ext}`);
  await writeFile(path, content);
  return path;
}

/** Imports `content` as a CSV file. */
export async function importCsv(world: World, entity: ImportFileOptions['entity'], content: string | Buffer, options: Partial<ImportFileOptions> = {}, ctx: Ctx = world.ctx): Promise<ImportResult> {
  const path = await writeTemp(world, content, '.csv');
  return importFile(ctx, { entity, path, ...options });
}

/** Lines of CSV text from rows of cells (no quoting; tests write simple values). */
export function csv(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

export async function q<T = Record<string, unknown>>(world: World, statement: ReturnType<typeof sql>): Promise<T[]> {
  return world.database.query<T>(statement);
}

export interface StoredObligation {
  external_id: string;
  debtor: string;
  portfolio: string;
  currency: string;
  amount: string;
  balance: string;
  due_on: string;
  issued_on: string | null;
  kind: string;
}

export async function obligationsOf(world: World, ctx: Ctx = world.ctx): Promise<StoredObligation[]> {
  return q<StoredObligation>(
    world,
    sql`SELECT o.external_id, d.external_id AS debtor, p.name AS portfolio, o.currency::text AS currency, o.amount::text AS amount,
               o.balance::text AS balance, o.due_on::text AS due_on, o.issued_on::text AS issued_on, o.kind
        FROM obligations o JOIN debtors d ON d.id = o.debtor_id JOIN portfolios p ON p.id = o.portfolio_id
        WHERE o.company_id = ${ctx.companyId} ORDER BY o.external_id`,
  );
}

export async function balances(world: World, ctx: Ctx = world.ctx): Promise<Record<string, string>> {
  const rows = await obligationsOf(world, ctx);
  return Object.fromEntries(rows.map((r) => [r.external_id, r.balance]));
}

export async function unapplied(world: World, ctx: Ctx = world.ctx): Promise<Record<string, string>> {
  const rows = await q<{ external_id: string; unapplied: string }>(world, sql`SELECT external_id, unapplied::text AS unapplied FROM payments WHERE company_id = ${ctx.companyId} ORDER BY external_id`);
  return Object.fromEntries(rows.map((r) => [r.external_id, r.unapplied]));
}

export async function allocations(world: World, ctx: Ctx = world.ctx): Promise<string[]> {
  const rows = await q<{ p: string; o: string; amount: string }>(
    world,
    sql`SELECT p.external_id AS p, o.external_id AS o, a.amount::text AS amount FROM payment_allocations a
        JOIN payments p ON p.id = a.payment_id JOIN obligations o ON o.id = a.obligation_id
        WHERE a.company_id = ${ctx.companyId} ORDER BY 1, 2`,
  );
  return rows.map((r) => `${r.p}→${r.o}:${r.amount}`);
}

export async function count(world: World, table: 'debtors' | 'obligations' | 'payments' | 'payment_allocations', ctx: Ctx = world.ctx): Promise<number> {
  const [row] = await q<{ n: number }>(world, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE company_id = ${ctx.companyId}`);
  return row!.n;
}

/** A minimal debtors file with the given external ids. */
export function debtorsCsv(...ids: string[]): string {
  return csv('external_id,name', ...ids.map((id) => `${id},Debtor ${id}`));
}
