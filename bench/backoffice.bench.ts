/**
 * Back-office benchmark (issue 5, "Speed"): with the benchmark book (200k debtors / 1M obligations) in PostgreSQL, the
 * daily run, then the back-office refresh (assignment to 20 collectors, worklist scores, dashboard aggregates); then,
 * over real HTTP on loopback at a fixed rate, from a child process (bench/support/load-generator.ts) so the load
 * generator never competes with the server's event loop; each page first at a constant arrival rate (request i due at
 * i ÷ rate, latency counted from when it was due), then again in autocannon's one-second bursts (the stricter figure):
 *   1. "Mi día" (GET /worklist?collector_id=…) for the collectors in turn;
 *   2. debtor 360 (GET /debtors/:id/360) for debtors spread over the book;
 *   3. the dashboard (GET /dashboard, 90 days) at a low rate.
 * Targets: worklist and debtor 360 p99 < 50 ms at 500 req/s; dashboard < 500 ms. Prints a table with the machine's
 * load average (other work on the machine shows in the figures) and writes bench/out/backoffice.json.
 *
 *   node bench/backoffice.bench.ts                 200k debtors / 1M obligations
 *   node bench/backoffice.bench.ts --scale 0.05    a twentieth of that
 *   options: --rate 500 --seconds 20 --collectors 20 --pool 10 (the server's PostgreSQL connections)
 *            --connections N (the generator's at most; default rate ÷ 10, so the rate holds up to 100 ms per request)
 *            --keep (leave the loaded database in place and print its name) --reuse NAME (measure a kept database again,
 *            without loading: for comparing server changes on the same data)
 *            --messages-per-debtor 5 (contact activity seeded before the refresh, bench/support/seed-activity.ts: that
 *            many outbox messages per debtor over the 90 days, 1M at full scale, with replies, and interactions and
 *            promises by the collectors; 0 leaves messages and interactions empty)
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is used only to create a throwaway database
 * cobranza_bench_<random>, dropped at the end.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { keepPoolWarm, migrateDatabase } from '../src/db/connection.ts';
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
import { seedActivity } from './support/seed-activity.ts';
import type { LoadConfig, LoadResult } from './support/load-generator.ts';

const NOW = '2026-03-31T17:00:00Z';
const FULL_DEBTORS = 200_000;
const TARGETS = { worklistP99Ms: 50, debtor360P99Ms: 50, dashboardMs: 500, rate: 500 };

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    rate: { type: 'string', default: String(TARGETS.rate) },
    seconds: { type: 'string', default: '20' },
    collectors: { type: 'string', default: '20' },
    pool: { type: 'string', default: '10' },
    connections: { type: 'string' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    'messages-per-debtor': { type: 'string', default: '5' },
  },
});
const scale = Number(args.scale);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const collectorCount = Number(args.collectors);
const poolSize = Number(args.pool);
const connectionsFor = (perSecond: number) => (args.connections ? Number(args.connections) : Math.max(10, Math.min(200, Math.ceil(perSecond / 10))));

const GENERATOR = fileURLToPath(new URL('./support/load-generator.ts', import.meta.url));
let configs = 0;

/** Runs the load generator in a child process at a fixed overall rate, cycling through `paths`. */
async function load(dir: string, url: string, key: string, paths: string[], perSecond: number, duration: number, shape: LoadConfig['shape'] = 'constant'): Promise<LoadResult> {
  const file = join(dir, `load-${configs++}.json`);
  const config: LoadConfig = { url, key, paths, rate: perSecond, seconds: duration, connections: connectionsFor(perSecond), shape };
  await writeFile(file, JSON.stringify(config));
  const { stdout } = await promisify(execFile)(process.execPath, [GENERATOR, file], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as LoadResult;
}

/** Waits until no request holds a database connection (requests still running when the load stopped finish first). */
async function settle(pool: pg.Pool): Promise<void> {
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    quiet = pool.waitingCount === 0 && pool.idleCount === pool.totalCount ? quiet + 1 : 0;
  }
}

const load1 = () => loadavg()[0]!.toFixed(2);

async function main(): Promise<void> {
  const debtors = Math.max(100, Math.round(FULL_DEBTORS * scale));
  const dir = await mkdtemp(join(tmpdir(), 'cobranza-backoffice-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  process.stdout.write(`back-office benchmark: ${debtors} debtors (~${debtors * 5} obligations), ${collectorCount} collectors, ${rate} req/s for ${seconds} s, ${cpus().length} CPUs\n`);

  const { database, name } = await openThrowawayPostgres({ poolSize, keep: args.keep, ...(args.reuse !== undefined && { reuse: args.reuse }) });
  const clock = fixedClock(NOW);
  let runMs = Number.NaN;
  let refreshMs = Number.NaN;
  let office: Awaited<ReturnType<typeof refreshBackOffice>> | null = null;
  const collectorIds: number[] = [];
  let company: { id: number };
  if (args.reuse === undefined) {
    const files = await writeFiles(dir, debtors);
    await migrateDatabase(database);
    ({ company } = await ensureCompany({ database, slug: 'bench', country: 'MX' }));
    const ctx: Ctx = { database, clock, companyId: company.id, actor: 'bench' };
    for (const entity of ENTITIES) {
      const r = await importFile(ctx, { entity, path: files.paths[entity], fileName: `${entity}.csv`, format: 'csv' });
      if (r.errors.length > 0) throw new Error(`${entity} import rejected: ${JSON.stringify(r.errors.slice(0, 5))}`);
    }
    let t = performance.now();
    await runPortfolio(ctx, { asOf: AS_OF });
    runMs = performance.now() - t;
    for (let c = 0; c < collectorCount; c++) {
      const { user } = await createUser(ctx, { email: `gestor${c}@bench.example`, name: `Gestor ${c}`, role: 'collector', password: 'una clave larga y segura 123' });
      collectorIds.push(user.id);
      await setCollector(ctx, { collectorId: user.id, capacity: Math.ceil((debtors * 1.2) / collectorCount) });
    }
    const messagesPerDebtor = Number(args['messages-per-debtor']);
    if (messagesPerDebtor > 0) {
      const a = await seedActivity(database, { companyId: company.id, collectorIds, messagesPerDebtor, now: NOW });
      process.stdout.write(`activity seeded in ${(a.ms / 1000).toFixed(1)} s: ${a.messages} messages, ${a.replies} replies, ${a.interactions} interactions, ${a.promises} promises\n`);
    }
    t = performance.now();
    office = await refreshBackOffice(ctx, { asOf: AS_OF });
    refreshMs = performance.now() - t;
    // As autovacuum would after a bulk load: statistics, and the visibility map index-only scans rely on.
    await database.query(sql`VACUUM ANALYZE`);
    if (args.keep) process.stdout.write(`kept the loaded database ${name}: measure it again with --reuse ${name} (drop it with DROP DATABASE ${name})\n`);
  } else {
    const [found] = await database.query<{ id: number }>(sql`SELECT id FROM companies WHERE slug = 'bench'`);
    if (!found) throw new Error(`${name} holds no benchmark company`);
    company = { id: Number(found.id) };
    const users = await database.query<{ id: number }>(sql`SELECT id FROM users WHERE company_id = ${company.id} AND role = 'collector' ORDER BY id`);
    collectorIds.push(...users.map((u) => Number(u.id)));
  }

  const { key } = await createApiKey({ database, companyId: company.id, name: 'bench' });
  const app = buildServer({ database, clock });
  // As `cobranza serve` does: the whole pool open and kept open.
  await keepPoolWarm(database);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });

  // 500 debtors spread evenly over the whole book; the page as the web app asks for it (the latest timeline entries).
  const step = Math.max(1, Math.floor(debtors / 500));
  const sample = await database.query<{ external_id: string }>(sql`
    SELECT external_id FROM (SELECT external_id, row_number() OVER (ORDER BY id) AS n FROM debtors WHERE company_id = ${company.id}) x
     WHERE n % ${step} = 0 LIMIT 500`);
  const debtorPaths = sample.map((d) => `/debtors/${encodeURIComponent(d.external_id)}/360`);
  const worklistPaths = collectorIds.map((id) => `/worklist?collector_id=${id}&limit=50`);
  const from = new Date(Date.parse(`${AS_OF}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);

  // Warm the caches, the code and each connection's prepared statements at the measured rate before measuring, as a
  // server that has been up for a while would be.
  await load(dir, url, key, worklistPaths, rate, 3);
  await load(dir, url, key, debtorPaths, rate, 3);
  const pool = database.backend.kind === 'postgres' ? database.backend.client : null;
  if (pool) await settle(pool);
  const before = load1();
  const worklist = await load(dir, url, key, worklistPaths, rate, seconds);
  if (pool) await settle(pool);
  const debtor360 = await load(dir, url, key, debtorPaths, rate, seconds);
  if (pool) await settle(pool);
  const worklistBurst = await load(dir, url, key, worklistPaths, rate, seconds, 'burst');
  if (pool) await settle(pool);
  const debtor360Burst = await load(dir, url, key, debtorPaths, rate, seconds, 'burst');
  if (pool) await settle(pool);
  const dashboard = await load(dir, url, key, [`/dashboard?from=${from}&to=${AS_OF}`], 5, Math.min(seconds, 10));
  const after = load1();
  if (pool) await settle(pool);
  await app.close();

  const gen = (r: LoadResult) => `${r.rps} req/s over ${r.connections} connections, ${r.errors + r.non2xx} failed; load generator ${Math.round(r.cpu * 100)}% of a core`;
  const rows = [
    ['daily run', office ? `${(runMs / 1000).toFixed(1)} s` : 'reused', ''],
    ['back-office refresh', office ? `${(refreshMs / 1000).toFixed(1)} s` : 'reused', office ? `${office.scores.accounts} accounts scored, ${office.analytics.portfolioRows} aggregate rows` : `database ${name}`],
    ['worklist', `p99 ${worklist.p99} ms (p50 ${worklist.p50}, p90 ${worklist.p90})`, `${gen(worklist)}; target p99 < ${TARGETS.worklistP99Ms} ms at ${rate} req/s`],
    ['debtor 360', `p99 ${debtor360.p99} ms (p50 ${debtor360.p50}, p90 ${debtor360.p90})`, `${gen(debtor360)}; target p99 < ${TARGETS.debtor360P99Ms} ms at ${rate} req/s`],
    ['worklist, bursts', `p99 ${worklistBurst.p99} ms (p50 ${worklistBurst.p50}, p90 ${worklistBurst.p90})`, `${gen(worklistBurst)}; each second's ${rate} requests sent at once`],
    ['debtor 360, bursts', `p99 ${debtor360Burst.p99} ms (p50 ${debtor360Burst.p50}, p90 ${debtor360Burst.p90})`, `${gen(debtor360Burst)}; each second's ${rate} requests sent at once`],
    ['dashboard', `p99 ${dashboard.p99} ms (max ${dashboard.max})`, `${dashboard.rps} req/s; target < ${TARGETS.dashboardMs} ms`],
  ];
  const width = Math.max(...rows.map((r) => r[0]!.length));
  for (const [name, value, note] of rows) process.stdout.write(`${name!.padEnd(width)}  ${value!.padEnd(36)}  ${note}\n`);
  process.stdout.write(`server pool ${poolSize} PostgreSQL connections; load average (1 min) ${before} before, ${after} after the measurements, on ${cpus().length} CPUs\n`);

  const out = new URL('./out/', import.meta.url);
  await mkdir(out, { recursive: true });
  await writeFile(new URL('backoffice.json', out), JSON.stringify({ debtors, rate, seconds, poolSize, loadAverage: { before, after }, cpus: cpus().length, runMs, refreshMs, worklist, debtor360, worklistBurst, debtor360Burst, dashboard, targets: TARGETS }, null, 2) + '\n');
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
