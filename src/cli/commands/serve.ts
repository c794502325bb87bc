import type { Command } from 'commander';
import { and, count, eq } from 'drizzle-orm';
import { apiKeys, debtors } from '../../db/schema.ts';
import { buildServer } from '../../http/server.ts';
import { keepPoolWarm } from '../../db/connection.ts';
import { resolveSecretsKey } from '../secrets-key.ts';
import { createApiKey } from '../../modules/access/api-keys.ts';
import { loadDemo } from '../../modules/portfolio/index.ts';
import { runPortfolio } from '../../modules/collection-runs/index.ts';
import { refreshBackOffice } from '../../modules/analytics/index.ts';
import { setCollector } from '../../modules/worklists/index.ts';
import { users } from '../../db/tables/access.ts';
import { dateInZone } from '../../domain/calendar.ts';
import { registerCliBridge, type RunCli } from '../bridge-server.ts';
import { startWorker } from '../../jobs/worker.ts';
import { companyProvidersFromConfig, resetMailer } from '../providers.ts';
import { paymentsRuntimeFromConfig } from '../payment-gateways.ts';
import { configurePayments } from '../../modules/payments/index.ts';
import { configurePortal } from '../../modules/portal/index.ts';
import { portalRuntimeFromConfig } from './portal.ts';
import { DEMO_COLLECTOR_EMAIL, DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from '../../modules/access/seed-demo-users.ts';
import type { Config } from '../../config.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { stopSignal } from '../stop-signal.ts';

/**
 * `serve` owns the database (and, embedded, its lock) until stopped; `start` is the quick start: the same, after
 * loading the demo portfolio into an empty database and printing an admin API key for it.
 */
export function registerServeCommands(program: Command, io: CliIO, session: Session, runCli: RunCli): void {
  const l = words(io);
  program
    .command('serve')
    .description(l('Serve the HTTP API (and let other cobranza commands run through it)', 'Servir la API HTTP (y dejar que otros comandos de cobranza corran a través de ella)'))
    .action(async () => {
      await serve(io, session, runCli, { demo: false });
    });
  program
    .command('start')
    .description(l('Quick start: like serve, but an empty database first gets the demo portfolio and an admin API key', 'Inicio rápido: como serve, pero una base de datos vacía recibe antes la cartera de demostración y una clave de API de administrador'))
    .action(async () => {
      await serve(io, session, runCli, { demo: true });
    });
}

async function serve(io: CliIO, session: Session, runCli: RunCli, options: { demo: boolean }): Promise<void> {
  const l = words(io);
  const database = await session.database();
  const { company } = await session.company();
  const ctx = await session.ctx('system');
  const [{ n: debtorCount } = { n: 0 }] = await database.db.select({ n: count() }).from(debtors).where(eq(debtors.companyId, company.id));
  let newKey: string | null = null;
  let demoAdmin: { email: string; password: string } | null = null;
  if (options.demo && Number(debtorCount) === 0) {
    const today = dateInZone(session.clock.now(), company.timeZone);
    io.stdout.write(l(`loading the demo portfolio (as of ${today})…\n`, `cargando la cartera de demostración (al ${today})…\n`));
    const counts = await loadDemo(ctx, { debtors: session.config.demoDebtors, seed: 1, country: company.country as 'MX', today });
    const run = await runPortfolio(ctx, { asOf: today, force: true });
    io.stdout.write(`  ${JSON.stringify(counts)}; ${run.accounts} ${l('accounts', 'cuentas')}: ${JSON.stringify(run.byPhase)}\n`);
    const [{ n: keyCount } = { n: 0 }] = await database.db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.companyId, company.id));
    if (Number(keyCount) === 0) newKey = (await createApiKey({ database, companyId: company.id, name: 'demo-admin', actor: 'system', clock: session.clock })).key;
    demoAdmin = await seedDemoUsers(ctx);
    // The demo's collector takes up to 300 accounts, so "Mi día" has work; then what the daily job does after a run:
    // accounts assigned, worklists scored, dashboards summed.
    if (demoAdmin) {
      const [collector] = await database.db.select({ id: users.id }).from(users).where(and(eq(users.companyId, company.id), eq(users.email, DEMO_COLLECTOR_EMAIL)));
      if (collector) await setCollector(ctx, { collectorId: collector.id, capacity: 300 });
    }
    await refreshBackOffice(ctx);
  }
  // One key seals and opens the saved provider credentials for the API, the worker and the payment gateways.
  const secretsKey = resolveSecretsKey(session.config, (message) => io.stderr.write(`warning: ${message}\n`));
  configurePayments(paymentsRuntimeFromConfig(session.config, process.env, { database, secretsKey }));
  configurePortal(portalRuntimeFromConfig(session.config));
  const publicUrl = session.config.providers.publicUrl ?? `http://localhost:${session.config.port}`;
  // Messages and password reset emails go through each company's providers: its saved credentials, else the
  // environment's (one lookup for both; with the sandbox the reset link is printed here).
  const providers = companyProvidersFromConfig(session.config, session.clock, secretsKey);
  const app = await buildServer({
    database,
    clock: session.clock,
    logger: false,
    auth: { settings: session.config.auth, secureCookies: cookieSecure(session.config, publicUrl), publicUrl, mailer: resetMailer(providers, (line) => io.stdout.write(line)) },
    secretsKey,
  });
  const lock = session.lock();
  if (lock) {
    // The bridge is registered before listening; its secret is read from the lock at request time.
    await registerCliBridge(app, { config: session.config, clock: session.clock, database, secret: () => lock.info.secret ?? '', runCli });
  }
  await keepPoolWarm(database);
  // Listen for stop signals before saying the server is up: whoever reads that line may stop it at once, and a signal
  // with no listener yet would kill the process instead of closing it (and leave the data directory's lock).
  const stopped = stopSignal();
  const address = await app.listen({ port: session.config.port, host: session.config.host });
  const url = address.replace('127.0.0.1', 'localhost');
  lock?.advertise(address);
  // The API and the job worker (daily run at the company's hour, planning, dispatch) share this process.
  const worker = await startWorker({ database, clock: session.clock, providers, appUrl: publicUrl });
  io.stdout.write(l(`cobranza listening on ${url}  (API docs: ${url}/docs)\n`, `cobranza escuchando en ${url}  (documentación de la API: ${url}/docs)\n`));
  if (newKey) {
    const asOf = dateInZone(session.clock.now(), company.timeZone);
    io.stdout.write(
      l(
        `Admin API key for the demo (shown once):\n  ${newKey}\nTry: curl -H "Authorization: Bearer ${newKey}" ${url}/reports/aging?as_of=${asOf}\n`,
        `Clave de API de administrador para la demostración (se muestra una sola vez):\n  ${newKey}\nPruebe: curl -H "Authorization: Bearer ${newKey}" ${url}/reports/aging?as_of=${asOf}\n`,
      ),
    );
  } else io.stdout.write(l('Create an API key with: npx cobranza apikey create NAME\n', 'Cree una clave de API con: npx cobranza apikey create NOMBRE\n'));
  if (demoAdmin) {
    io.stdout.write(l(`Sign in at ${url}/app as ${demoAdmin.email} with password ${demoAdmin.password} (shown once)\n`, `Entre en ${url}/app como ${demoAdmin.email} con la contraseña ${demoAdmin.password} (se muestra una sola vez)\n`));
    const users = DEMO_USERS.map((u) => `${u.email} (${u.role})`).join(', ');
    io.stdout.write(l(`Demo users (password "${DEMO_PASSWORD}"): ${users}\n`, `Usuarios de demostración (contraseña "${DEMO_PASSWORD}"): ${users}\n`));
  }
  await stopped;
  io.stdout.write(l('stopping…\n', 'deteniendo…\n'));
  await worker.stop();
  await app.close();
  await session.close();
}

/**
 * The session cookie is Secure unless told otherwise, except on plain http to a loopback host (a laptop demo), where
 * a Secure cookie would never come back from browsers that do not treat localhost as secure.
 */
function cookieSecure(config: Config, publicUrl: string): boolean {
  if (config.auth.cookieSecure !== undefined) return config.auth.cookieSecure;
  if (publicUrl.startsWith('https://')) return true;
  return !['127.0.0.1', 'localhost', '::1'].includes(config.host);
}
