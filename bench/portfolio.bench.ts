/**
 * Portfolio benchmark: generates a large demo portfolio as CSV files, imports it through the product's import path,
 * runs the daily run over it, and compares both with what the database can do bare (a raw COPY, a hand-written aging
 * query). Prints a table and writes bench/out/portfolio.json.
 *
 *   npm run bench                                  200k debtors / 1M obligations / ~300k payments on PostgreSQL,
 *                                                  a tenth of that on PGlite
 *   node bench/portfolio.bench.ts --scale 0.05 --backend pglite
 *   npm run bench -- --days 5                      five following days, each beside its own hand-written query
 *
 * With both back ends, each is measured in a process of its own (same Node flags), so neither's peak memory carries
 * what the other left in the heap.
 *
 * PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is used only to create a throwaway
 * database cobranza_bench_<random>, dropped at the end. PGlite runs in a temporary data directory, removed at the end.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { migrateDatabase, openDatabase, type Database } from '../src/db/connection.ts';
import { ensureCompany } from '../src/modules/access/ensure-company.ts';
import { runPortfolio } from '../src/modules/collection-runs/index.ts';
import { importFile } from '../src/modules/portfolio/index.ts';
import { systemClock } from '../src/modules/shared/clock.ts';
import type { Ctx } from '../src/modules/shared/context.ts';
import { handWrittenAging, rawCopy } from './support/baseline.ts';
import { addDays } from '../src/domain/calendar.ts';
import { AS_OF, cleanUp, cleanups, ENTITIES, openThrowawayPostgres, writeFilesInChild, type Entity } from './support/book.ts';
import { sampleRss } from './support/rss.ts';

type BackendName = 'postgres' | 'pglite';
const FULL_DEBTORS: Record<BackendName, number> = { postgres: 200_000, pglite: 20_000 };

const TARGETS = { importVsCopy: 1 / 3, runVsQuery: 3, peakRssMb: 500 };

interface EntityFigures {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

interface BackendFigures {
  backend: BackendName;
  debtors: number;
  obligations: number;
  payments: number;
  import: Record<Entity, EntityFigures>;
  run: { seconds: number; accounts: number; byPhase: Record<string, number> };
  /** Runs of the following days over the same data: the daily case (accounts exist and are updated). Median. */
  nextDayRun: { seconds: number; accounts: number; days: Array<{ runSeconds: number; agingSeconds: number }> };
  rawCopy: EntityFigures;
  /** Timed right before the first run and right before each following day's run (median); each ratio uses the one beside it. */
  handWrittenAging: { seconds: number; rows: number; secondsBeforeNextDay: number };
  importVsCopy: number;
  runVsQuery: number;
  /** Median over the following days of run ÷ the hand-written query timed right before it. */
  nextDayRunVsQuery: number;
  /** Peak while importing and running (the CSV files are written by a child process beforehand). */
  peakRssMb: number;
  /** Including the raw COPY baseline run in the same process. */
  peakRssWithBaselineMb: number;
  /** The peak reached by the end of each step (cumulative), to tell which step sets it. */
  /** The process's RSS when this back end's measurement began (Node, the product's code and PGlite loaded). */
  startRssMb: number;
  peakRssByStepMb: Record<'open' | Entity | 'firstRun' | 'followingDays', number>;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const seconds = (ms: number) => Math.round(ms) / 1000;
const figures = (rows: number, ms: number): EntityFigures => ({ rows, seconds: seconds(ms), rowsPerSecond: Math.round(rows / (ms / 1000)) });

function parseOptions(): { scale: number; backends: BackendName[]; days: number; figures: string | undefined } {
  const { values } = parseArgs({
    // --figures FILE: measure the one back end named and write its figures there (how the parent runs each back end).
    options: { scale: { type: 'string', default: '1' }, backend: { type: 'string', default: 'both' }, days: { type: 'string', default: '1' }, figures: { type: 'string' } },
    strict: true,
  });
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be a fraction in (0, 1], got "${values.scale}"`);
  const choice = values.backend;
  const backends: BackendName[] = choice === 'both' ? ['postgres', 'pglite'] : choice === 'pg' || choice === 'postgres' ? ['postgres'] : choice === 'pglite' ? ['pglite'] : [];
  if (backends.length === 0) throw new Error(`--backend must be pg, pglite or both, got "${choice}"`);
  const days = Number(values.days);
  if (!(Number.isInteger(days) && days >= 1 && days <= 30)) throw new Error(`--days must be a whole number from 1 to 30, got "${values.days}"`);
  if (values.figures !== undefined && backends.length !== 1) throw new Error('--figures needs one --backend');
  return { scale, backends, days, figures: values.figures };
}

/** Measures one back end in a child process of its own and returns its figures. */
async function benchInChild(backend: BackendName, scale: number, days: number, workDir: string, children: Set<ReturnType<typeof spawn>>): Promise<BackendFigures> {
  const figuresFile = join(workDir, `${backend}.json`);
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--backend', backend, '--scale', String(scale), '--days', String(days), '--figures', figuresFile];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  children.add(child);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  children.delete(child);
  if (code !== 0) throw new Error(`the ${backend} bench exited with ${code}`);
  return JSON.parse(await readFile(figuresFile, 'utf8')) as BackendFigures;
}

async function openBackend(backend: BackendName, workDir: string): Promise<Database> {
  if (backend === 'pglite') {
    const dataDir = join(workDir, 'pglite');
    const database = await openDatabase({ dataDir });
    cleanups.push(() => database.close());
    return database;
  }
  return (await openThrowawayPostgres()).database;
}

async function benchBackend(backend: BackendName, scale: number, days: number, workDir: string, rss: ReturnType<typeof sampleRss>): Promise<BackendFigures> {
  const startRssMb = mb(process.memoryUsage.rss());
  const debtors = Math.max(10, Math.round(FULL_DEBTORS[backend] * scale));
  process.stderr.write(`[${backend}] generating ${debtors} debtors…\n`);
  const files = await writeFilesInChild(workDir, debtors);
  process.stderr.write(`[${backend}] files: ${ENTITIES.map((e) => `${files.rows[e]} ${e}`).join(', ')}\n`);

  // From here on the peak is the import and the run's alone, not the generator's garbage.
  rss.reset();
  const database = await openBackend(backend, workDir);
  await migrateDatabase(database);
  const { company } = await ensureCompany({ database, slug: 'bench', name: 'Bench', country: 'MX' });
  const ctx: Ctx = { database, clock: systemClock, companyId: company.id, actor: 'bench' };
  const byStep = { open: mb(rss.peak()) } as BackendFigures['peakRssByStepMb'];

  const imported = {} as Record<Entity, EntityFigures>;
  for (const entity of ENTITIES) {
    process.stderr.write(`[${backend}] importing ${entity}…\n`);
    const started = performance.now();
    const result = await importFile(ctx, { entity, path: files.paths[entity], fileName: `${entity}.csv`, format: 'csv' });
    const ms = performance.now() - started;
    if (result.errors.length > 0) throw new Error(`${entity} import rejected: ${JSON.stringify(result.errors.slice(0, 5))}`);
    imported[entity] = figures(result.rows, ms);
    byStep[entity] = mb(rss.peak());
  }

  process.stderr.write(`[${backend}] hand-written aging query…\n`);
  const aging = await handWrittenAging(database, company.id, AS_OF);
  process.stderr.write(`[${backend}] daily run…\n`);
  const runStarted = performance.now();
  const run = await runPortfolio(ctx, { asOf: AS_OF });
  const runMs = performance.now() - runStarted;
  byStep.firstRun = mb(rss.peak());

  // The following days, each right after its own hand-written query: on a shared machine the load changes from one
  // minute to the next, so each ratio compares two timings taken side by side, and the median is reported.
  const following: Array<{ runMs: number; agingMs: number; accounts: number }> = [];
  for (let day = 1; day <= days; day++) {
    const asOf = addDays(AS_OF, day);
    process.stderr.write(`[${backend}] hand-written aging query, then the run as of ${asOf}…\n`);
    const agingAgain = await handWrittenAging(database, company.id, asOf);
    const nextStarted = performance.now();
    const nextRun = await runPortfolio(ctx, { asOf });
    following.push({ runMs: performance.now() - nextStarted, agingMs: agingAgain.ms, accounts: nextRun.accounts });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const nextMs = median(following.map((f) => f.runMs));
  const nextRatio = median(following.map((f) => f.runMs / f.agingMs));

  // The product's peak: imports and runs. The raw COPY below is the benchmark's own baseline (on PGlite it loads the
  // whole file into the process), reported apart.
  const peak = rss.peak();
  byStep.followingDays = mb(peak);
  process.stderr.write(`[${backend}] raw COPY…\n`);
  const copy = await rawCopy(database, files.paths.obligations);
  const peakWithBaseline = rss.peak();

  const copyFigures = figures(copy.rows, copy.ms);
  return {
    backend,
    debtors: files.rows.debtors,
    obligations: files.rows.obligations,
    payments: files.rows.payments,
    import: imported,
    run: { seconds: seconds(runMs), accounts: run.accounts, byPhase: run.byPhase },
    nextDayRun: { seconds: seconds(nextMs), accounts: following[0]!.accounts, days: following.map((f) => ({ runSeconds: seconds(f.runMs), agingSeconds: seconds(f.agingMs) })) },
    rawCopy: copyFigures,
    handWrittenAging: { seconds: seconds(aging.ms), rows: aging.rows, secondsBeforeNextDay: seconds(median(following.map((f) => f.agingMs))) },
    importVsCopy: Math.round((imported.obligations.rowsPerSecond / copyFigures.rowsPerSecond) * 1000) / 1000,
    runVsQuery: Math.round((runMs / aging.ms) * 100) / 100,
    nextDayRunVsQuery: Math.round(nextRatio * 100) / 100,
    peakRssMb: mb(peak),
    peakRssWithBaselineMb: mb(peakWithBaseline),
    startRssMb,
    peakRssByStepMb: byStep,
  };
}

function table(results: BackendFigures[]): string {
  const rows: Array<[string, ...string[]]> = [['', ...results.map((r) => r.backend)]];
  const add = (label: string, cell: (r: BackendFigures) => string) => rows.push([label, ...results.map(cell)]);
  const rate = (f: EntityFigures) => `${f.rows} in ${f.seconds.toFixed(2)} s = ${f.rowsPerSecond.toLocaleString('en-US')}/s`;
  add('import debtors', (r) => rate(r.import.debtors));
  add('import obligations', (r) => rate(r.import.obligations));
  add('import payments', (r) => rate(r.import.payments));
  add('raw COPY obligations', (r) => rate(r.rawCopy));
  add(`import ÷ COPY (≥ ${TARGETS.importVsCopy.toFixed(2)})`, (r) => `${r.importVsCopy.toFixed(2)} ${r.importVsCopy >= TARGETS.importVsCopy ? 'ok' : 'MISSED'}`);
  const ratio = (x: number) => `${x.toFixed(2)} ${x <= TARGETS.runVsQuery ? 'ok' : 'MISSED'}`;
  add('daily run, first', (r) => `${r.run.accounts} accounts in ${r.run.seconds.toFixed(2)} s`);
  add('daily run, following days (median)', (r) => `${r.nextDayRun.accounts} accounts in ${r.nextDayRun.seconds.toFixed(2)} s (${r.nextDayRun.days.length} days)`);
  add('hand-written aging', (r) => `${r.handWrittenAging.rows} rows in ${r.handWrittenAging.seconds.toFixed(2)} s / ${r.handWrittenAging.secondsBeforeNextDay.toFixed(2)} s`);
  add(`first run ÷ query (≤ ${TARGETS.runVsQuery})`, (r) => ratio(r.runVsQuery));
  add(`following-day run ÷ query, median (≤ ${TARGETS.runVsQuery})`, (r) => ratio(r.nextDayRunVsQuery));
  add(`peak RSS MB, imports + runs (≤ ${TARGETS.peakRssMb})`, (r) => `${r.peakRssMb} ${r.peakRssMb <= TARGETS.peakRssMb ? 'ok' : 'MISSED'}`);
  add('peak RSS MB incl. the raw COPY', (r) => `${r.peakRssWithBaselineMb}`);
  add('RSS MB at start; peak by the end of: open/deb/obl/pay/run/days', (r) => `${r.startRssMb}; ${Object.values(r.peakRssByStepMb).join(' / ')}`);
  add('phases', (r) => Object.entries(r.run.byPhase).map(([k, v]) => `${k.slice(0, 4)} ${v}`).join(' '));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

async function main(): Promise<void> {
  const { scale, backends, days, figures } = parseOptions();
  // What the process holds before any work: code of Node, drizzle, pg and PGlite.
  const baselineRssMb = mb(process.memoryUsage.rss());
  const rss = sampleRss(100);
  const workDir = await mkdtemp(join(tmpdir(), 'cobranza-bench-'));
  const children = new Set<ReturnType<typeof spawn>>();
  cleanups.push(async () => {
    rss.stop();
    await rm(workDir, { recursive: true, force: true });
  });
  const interrupt = () => {
    for (const child of children) child.kill('SIGTERM');
    process.stderr.write('\ninterrupted; cleaning up…\n');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const machine = {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    baselineRssMb,
    // npm run bench passes --max-semi-space-size=8, as npm start does for the product (see the README).
    nodeFlags: process.execArgv.join(' '),
  };
  const started = performance.now();
  const results: BackendFigures[] = [];
  try {
    for (const backend of backends) {
      // Each back end cleans up its database and files before the next starts; the work dir itself stays.
      const mark = cleanups.length;
      const backendDir = join(workDir, backend);
      await mkdir(backendDir);
      results.push(backends.length > 1 ? await benchInChild(backend, scale, days, backendDir, children) : await benchBackend(backend, scale, days, backendDir, rss));
      while (cleanups.length > mark) await cleanups.pop()!();
      await rm(backendDir, { recursive: true, force: true });
    }
  } finally {
    await cleanUp();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }

  if (figures !== undefined) {
    await writeFile(figures, JSON.stringify(results[0]));
    return;
  }
  const report = { scale, asOf: AS_OF, days, machine, totalSeconds: seconds(performance.now() - started), targets: TARGETS, results };
  const outDir = fileURLToPath(new URL('./out/', import.meta.url));
  await mkdir(outDir, { recursive: true });
  const outFile = join(outDir, 'portfolio.json');
  await writeFile(outFile, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`cobranza portfolio bench — scale ${scale}, as of ${AS_OF}, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB, Node ${machine.node}; RSS at start ${baselineRssMb} MB; node flags: ${machine.nodeFlags || 'none'}\n\n`);
  process.stdout.write(table(results));
  process.stdout.write(`\nfigures: ${outFile} (${(await stat(outFile)).size} bytes); total ${report.totalSeconds} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
