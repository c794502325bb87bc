/**
 * What both benchmarks share: the same collections book (fixed date, seed and payer mix, so every run loads the same
 * rows), its CSV files, a throwaway PostgreSQL database, and cleanup steps run once at the end or on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { parseDate } from '../../src/domain/calendar.ts';
import type { Profile } from '../../src/modules/portfolio/demo/index.ts';

export type Entity = 'debtors' | 'obligations' | 'payments';
export const ENTITIES: readonly Entity[] = ['debtors', 'obligations', 'payments'];

/** The story is told as of a fixed date so every run of the bench loads the same rows. */
export const AS_OF = parseDate('2026-03-31');
export const SEED = 42;
export const OBLIGATIONS_PER_DEBTOR = 5;
/**
 * A collections agency's book rather than a lender's: most accounts are already delinquent and never pay, which
 * puts payments at about 0.3 per obligation (300k for 1M).
 */
export const COLLECTIONS_BOOK: Partial<Record<Profile, number>> = { punctual: 20, early: 2, overpayer: 1, late: 8, partial: 5, never: 64 };

/** Cleanup steps run once, in reverse order, at the end or on Ctrl-C. */
export const cleanups: Array<() => Promise<void>> = [];
export async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop()!;
    try {
      await step();
    } catch (error) {
      process.stderr.write(`cleanup: ${(error as Error).message}\n`);
    }
  }
}

/** The book's files and their data row counts. */
export interface BookFiles {
  paths: Record<Entity, string>;
  rows: Record<Entity, number>;
}

/**
 * {@link writeFiles} in a child process, so the generator's code (faker) and garbage never count in the peak memory
 * of the process that imports the files.
 */
export async function writeFilesInChild(dir: string, debtors: number): Promise<BookFiles> {
  const script = fileURLToPath(new URL('./write-book.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script, dir, String(debtors)], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as BookFiles;
}

/** Writes the book's three files for `debtors` debtors; returns their paths and row counts. */
export async function writeFiles(dir: string, debtors: number): Promise<BookFiles> {
  // Imported here, not at the top: faker and the generator stay out of a process that only reads the files.
  const { csvChunks, DEMO_COLUMNS, generateDemo } = await import('../../src/modules/portfolio/demo/index.ts');
  const demo = generateDemo({ debtors, seed: SEED, today: AS_OF, obligationsPerDebtor: OBLIGATIONS_PER_DEBTOR, profileWeights: COLLECTIONS_BOOK });
  const paths = {} as Record<Entity, string>;
  const rows = {} as Record<Entity, number>;
  for (const entity of ENTITIES) {
    paths[entity] = join(dir, `${entity}-${debtors}.csv`);
    let count = 0;
    const counted = function* () {
      for (const row of demo[entity]) {
        count++;
        yield row;
      }
    };
    await pipeline(Readable.from(csvChunks(DEMO_COLUMNS[entity], counted())), createWriteStream(paths[entity]));
    rows[entity] = count;
  }
  return { paths, rows };
}

/**
 * Creates `cobranza_bench_<random>` on the server of DATABASE_URL (default the local test server) and opens it;
 * dropping it and closing the connection are registered as cleanups.
 */
export async function openThrowawayPostgres(options: { poolSize?: number; keep?: boolean; reuse?: string } = {}): Promise<{ database: Database; url: string; name: string }> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  if (options.reuse !== undefined && !/^cobranza_bench_[0-9a-f]{12}$/.test(options.reuse)) throw new Error(`--reuse takes a database a benchmark kept (cobranza_bench_…), not "${options.reuse}"`);
  const name = options.reuse ?? `cobranza_bench_${randomBytes(6).toString('hex')}`;
  if (options.reuse === undefined) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
  }
  if (!options.keep && options.reuse === undefined) cleanups.push(async () => {
    const drop = new pg.Client({ connectionString: serverUrl });
    await drop.connect();
    try {
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await drop.end();
    }
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), ...(options.poolSize !== undefined && { poolSize: options.poolSize }) });
  cleanups.push(() => database.close());
  return { database, url: url.toString(), name };
}
