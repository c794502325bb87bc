/**
 * Back-office benchmark (issue 5, "Speed"): with the benchmark book (200k debtors / 1M obligations) in PostgreSQL, the
 * daily run, then the back-office refresh (assignment to 20 collectors, worklist scores, dashboard aggregates); then,
 * over real HTTP on loopback with autocannon at a fixed rate:
 *   1. "Mi día" (GET /worklist?collector_id=…) for the collectors in turn;
 *   2. debtor 360 (GET /debtors/:id/360) for debtors spread over the book;
 *   3. the dashboard (GET /dashboard, 90 days) at a low rate.
 * Targets: worklist and debtor 360 p99 < 50 ms at 500 req/s; dashboard < 500 ms. Prints a table and writes
 * bench/out/backoffice.json.
 *
 *   node bench/backoffice.bench.ts                 200k debtors / 1M obligations
 *   node bench/backoffice.bench.ts --scale 0.05    a twentieth of that
 *   options: --rate 500 --seconds 20 --collectors 20
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is used only to create a throwaway database
 * cobranza_bench_<random>, dropped at the end.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { migrateDatabase } from '../src/db/connection.ts';
import { buildServer } from '../src/http/server.ts';
import { createApiKey, createUser } from '../src/modules/access/index.ts';
import { ensureCompany } from '../src/modules/access/ensure-company.ts';
import { refreshBackOffice } from '../src/modules/analytics/index.ts';
import { runPortfolio } from '../src/modules/collection-runs/index.ts';
import { importFile } from '../src/modules/portfolio/index.ts';
import { fixedClock } from '../src/modules/shared/clock.ts';
import type { Ctx } from '../src/modules/shared/context.ts';
import { setCollector } from '../src/modules/worklists/index.ts';
import { AS_OF, cleanUp, cleanups, ENTITIES, openThrowawayPostgres, writeFiles } from './support/book.ts';

const NOW = '2026-03-31T17:00:00Z';
const FULL_DEBTORS = 200_000;
const TARGETS = { worklistP99Ms: 50, debtor360P99Ms: 50, dashboardMs: 500, rate: 500 };

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    rate: { type: 'string', default: String(TARGETS.rate) },
    seconds: { type: 'string', default: '20' },
    collectors: { type: 'string', default: '20' },
  },
});
const scale = Number(args.scale);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const collectorCount = Number(args.collectors);

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon at a fixed overall rate, cycling through `paths`. */
async function load(url: string, key: string, paths: string[], perSecond: number, duration: number): Promise<LoadResult> {
  let i = 0;
  const connections = Math.max(10, Math.min(100, Math.ceil(perSecond / 20)));
  const result = await autocannon({
    url,
    connections,
    duration,
    // Autocannon's rate is per connection; the overall rate is what the target is stated at.
    overallRate: perSecond,
    headers: { authorization: `Bearer ${key}` },
    requests: [
      {
        setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }),
      },
    ],
  });
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

async function main(): Promise<void> {
  const debtors = Math.max(100, Math.round(FULL_DEBTORS * scale));
  const dir = await mkdtemp(join(tmpdir(), 'cobranza-backoffice-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  process.stdout.write(`back-office benchmark: ${debtors} debtors (~${debtors * 5} obligations), ${collectorCount} collectors, ${rate} req/s for ${seconds} s, ${cpus().length} CPUs\n`);

  const files = await writeFiles(dir, debtors);
  const { database } = await openThrowawayPostgres();
  await migrateDatabase(database);
  const clock = fixedClock(NOW);
  const { company } = await ensureCompany({ database, slug: 'bench', country: 'MX' });
  const ctx: Ctx = { database, clock, companyId: company.id, actor: 'bench' };
  for (const entity of ENTITIES) {
    const r = await importFile(ctx, { entity, path: files.paths[entity], fileName: `${entity}.csv`, format: 'csv' });
    if (r.errors.length > 0) throw new Error(`${entity} import rejected: ${JSON.stringify(r.errors.slice(0, 5))}`);
  }
  let t = performance.now();
  await runPortfolio(ctx, { asOf: AS_OF });
  const runMs = performance.now() - t;

  const collectorIds: number[] = [];
  for (let c = 0; c < collectorCount; c++) {
    const { user } = await createUser(ctx, { email: `gestor${c}@bench.example`, name: `Gestor ${c}`, role: 'collector', password: 'una clave larga y segura 123' });
    collectorIds.push(user.id);
    await setCollector(ctx, { collectorId: user.id, capacity: Math.ceil((debtors * 1.2) / collectorCount) });
  }
  t = performance.now();
  const office = await refreshBackOffice(ctx, { asOf: AS_OF });
  const refreshMs = performance.now() - t;
  await database.query(sql`ANALYZE`);

  const { key } = await createApiKey({ database, companyId: company.id, name: 'bench' });
  const app = buildServer({ database, clock });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });

  const sample = await database.query<{ external_id: string }>(sql`
    SELECT external_id FROM debtors WHERE company_id = ${company.id} ORDER BY id LIMIT 2000`);
  const step = Math.max(1, Math.floor(sample.length / 500));
  const debtorPaths = sample.filter((_, n) => n % step === 0).map((d) => `/debtors/${encodeURIComponent(d.external_id)}/360?timeline_limit=200`);
  const worklistPaths = collectorIds.map((id) => `/worklist?collector_id=${id}&limit=50`);
  const from = new Date(Date.parse(`${AS_OF}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);

  // Warm the caches and the connection pool before measuring.
  await load(url, key, worklistPaths, 50, 2);
  const worklist = await load(url, key, worklistPaths, rate, seconds);
  const debtor360 = await load(url, key, debtorPaths, rate, seconds);
  const dashboard = await load(url, key, [`/dashboard?from=${from}&to=${AS_OF}`], 5, Math.min(seconds, 10));
  // Requests still in flight when autocannon stops finish before the database closes.
  await app.close();

  const rows = [
    ['daily run', `${(runMs / 1000).toFixed(1)} s`, ''],
    ['back-office refresh', `${(refreshMs / 1000).toFixed(1)} s`, `${office.scores.accounts} accounts scored, ${office.analytics.portfolioRows} aggregate rows`],
    ['worklist', `p99 ${worklist.p99} ms (p50 ${worklist.p50})`, `${worklist.rps} req/s, ${worklist.errors + worklist.non2xx} failed; target p99 < ${TARGETS.worklistP99Ms} ms at ${rate} req/s`],
    ['debtor 360', `p99 ${debtor360.p99} ms (p50 ${debtor360.p50})`, `${debtor360.rps} req/s, ${debtor360.errors + debtor360.non2xx} failed; target p99 < ${TARGETS.debtor360P99Ms} ms`],
    ['dashboard', `p99 ${dashboard.p99} ms (max ${dashboard.max})`, `target < ${TARGETS.dashboardMs} ms`],
  ];
  const width = Math.max(...rows.map((r) => r[0]!.length));
  for (const [name, value, note] of rows) process.stdout.write(`${name!.padEnd(width)}  ${value!.padEnd(28)}  ${note}\n`);

  const out = new URL('./out/', import.meta.url);
  await mkdir(out, { recursive: true });
  await writeFile(new URL('backoffice.json', out), JSON.stringify({ debtors, rate, seconds, runMs, refreshMs, worklist, debtor360, dashboard, targets: TARGETS }, null, 2) + '\n');
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
