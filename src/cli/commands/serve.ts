import type { Command } from 'commander';
import { count, eq } from 'drizzle-orm';
import { apiKeys, debtors } from '../../db/schema.ts';
import { buildServer } from '../../http/server.ts';
import { createApiKey } from '../../modules/access/api-keys.ts';
import { loadDemo } from '../../modules/portfolio/index.ts';
import { runPortfolio } from '../../modules/collection-runs/index.ts';
import { dateInZone } from '../../domain/calendar.ts';
import { registerCliBridge, type RunCli } from '../bridge-server.ts';
import { startWorker } from '../../jobs/worker.ts';
import { providersFromConfig } from '../providers.ts';
import type { CliIO } from '../io.ts';
import type { Session } from '../session.ts';

/**
 * `serve` owns the database (and, embedded, its lock) until stopped; `start` is the quick start: the same, after
 * loading the demo portfolio into an empty database and printing an admin API key for it.
 */
export function registerServeCommands(program: Command, io: CliIO, session: Session, runCli: RunCli): void {
  program
    .command('serve')
    .description('Serve the HTTP API (and let other cobranza commands run through it)')
    .action(async () => {
      await serve(io, session, runCli, { demo: false });
    });
  program
    .command('start')
    .description('Quick start: like serve, but an empty database first gets the demo portfolio and an admin API key')
    .action(async () => {
      await serve(io, session, runCli, { demo: true });
    });
}

async function serve(io: CliIO, session: Session, runCli: RunCli, options: { demo: boolean }): Promise<void> {
  const database = await session.database();
  const { company } = await session.company();
  const ctx = await session.ctx('system');
  const [{ n: debtorCount } = { n: 0 }] = await database.db.select({ n: count() }).from(debtors).where(eq(debtors.companyId, company.id));
  let newKey: string | null = null;
  if (options.demo && Number(debtorCount) === 0) {
    const today = dateInZone(session.clock.now(), company.timeZone);
    io.stdout.write(`Cargando cartera de demostración / loading the demo portfolio (as of ${today})…\n`);
    const counts = await loadDemo(ctx, { debtors: session.config.demoDebtors, seed: 1, country: company.country as 'MX', today });
    const run = await runPortfolio(ctx, { asOf: today, force: true });
    io.stdout.write(`  ${JSON.stringify(counts)}; ${run.accounts} accounts: ${JSON.stringify(run.byPhase)}\n`);
    const [{ n: keyCount } = { n: 0 }] = await database.db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.companyId, company.id));
    if (Number(keyCount) === 0) newKey = (await createApiKey({ database, companyId: company.id, name: 'demo-admin' })).key;
  }
  const app = await buildServer({ database, clock: session.clock, logger: false });
  const lock = session.lock();
  if (lock) {
    // The bridge is registered before listening; its secret is read from the lock at request time.
    await registerCliBridge(app, { config: session.config, clock: session.clock, database, secret: () => lock.info.secret ?? '', runCli });
  }
  const address = await app.listen({ port: session.config.port, host: session.config.host });
  const url = address.replace('127.0.0.1', 'localhost');
  lock?.advertise(address);
  // The API and the job worker (daily run at the company's hour, planning, dispatch) share this process.
  const worker = await startWorker({ database, clock: session.clock, providers: providersFromConfig(session.config, session.clock) });
  io.stdout.write(`cobranza escuchando en / listening on ${url}  (API docs: ${url}/docs)\n`);
  if (newKey) io.stdout.write(`Admin API key for the demo (shown once):\n  ${newKey}\nTry: curl -H "Authorization: Bearer ${newKey}" ${url}/reports/aging?as_of=${dateInZone(session.clock.now(), company.timeZone)}\n`);
  else io.stdout.write('Create an API key with: npx cobranza apikey create NAME\n');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stdout.write('stopping…\n');
  await worker.stop();
  await app.close();
  await session.close();
}
