/**
 * The `cobranza` command. `main` decides where a command runs: locally (opening the database), or — when a
 * `cobranza serve` owns the embedded database — through that server, which runs the very same command handlers.
 */
import { Command, CommanderError } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import { DataDirLockedError, readLock } from '../db/data-dir-lock.ts';
import { AppError } from '../modules/shared/errors.ts';
import { clockFromSetting } from '../modules/shared/clock.ts';
import { processIO, words, type CliIO } from './io.ts';
import { exitCodeOf } from './exit.ts';
import { configureUsage } from './usage-errors.ts';
import { localSession, type Session } from './session.ts';
import { forwardToServer } from './bridge-client.ts';
import { registerPortfolioCommands } from './commands/portfolio.ts';
import { registerRunCommands } from './commands/runs.ts';
import { registerAdminCommands } from './commands/admin.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerComplianceCommands } from './commands/compliance.ts';
import { registerComplianceSettingsCommands } from './commands/compliance-settings.ts';
import { registerStrategyCommands } from './commands/strategies.ts';
import { registerWorkerCommands } from './commands/worker.ts';
import { registerTimelineCommands } from './commands/timeline.ts';
import { registerSandboxCommands } from './commands/sandbox.ts';
import { registerPortalCommands } from './commands/portal.ts';
import { registerComplianceReportCommand } from './commands/compliance-report.ts';
import { registerReportKpisCommand } from './commands/reports-kpis.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerNegotiationCommands } from './commands/negotiation.ts';
import { registerTemplateCommands } from './commands/templates.ts';
import { registerReplyCommands } from './commands/replies.ts';

/** Commands that must own the database themselves (they start a server). */
const LOCAL_ONLY = new Set(['serve', 'start']);

export async function main(argv: string[]): Promise<number> {
  const io = processIO();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
  const clock = clockFromSetting(config.now);
  const command = argv.find((a) => !a.startsWith('-'));
  const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv.includes('--version') || command === 'help';
  if (!config.databaseUrl && !wantsHelp) {
    const owner = readLock(config.dataDir);
    if (owner?.url && owner.secret) {
      if (command && LOCAL_ONLY.has(command)) {
        io.stderr.write(words(io)(`error: cobranza is already running at ${owner.url} (process ${owner.pid}) on ${config.dataDir}\n`, `error: cobranza ya está en marcha en ${owner.url} (proceso ${owner.pid}) sobre ${config.dataDir}\n`));
        return 1;
      }
      return forwardToServer(owner, argv, io);
    }
  }
  const session = localSession(config, clock);
  try {
    return await runCli(argv, io, session);
  } finally {
    if (!(command && LOCAL_ONLY.has(command))) await session.close();
  }
}

/** Parses and runs one command; returns its exit status. Shared by local runs and the server's bridge. */
export async function runCli(argv: string[], io: CliIO, session: Session): Promise<number> {
  const program = buildProgram(io, session);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodeOf(program);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof AppError) {
    const { message, details } = error.in(io.language);
    io.stderr.write(`error: ${message}\n`);
    for (const d of details) {
      const where = d.line !== undefined ? `${io.language === 'es' ? 'línea' : 'line'} ${d.line}: ${d.column ?? ''}: ` : d.path ? `${d.path}: ` : '';
      if (d.reason && !message.endsWith(d.reason)) io.stderr.write(`  ${where}${d.reason}\n`);
    }
    return 1;
  }
  if (error instanceof DataDirLockedError) {
    io.stderr.write(words(io)(`error: ${error.message}; wait for it to finish, or start "cobranza serve" so commands can share it\n`, `error: ${error.message}; espere a que termine, o inicie "cobranza serve" para que los comandos la compartan\n`));
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`error: ${message}\n`);
  return 1;
}

/** The `cobranza` program, its help in the language of `io`. */
export function buildProgram(io: CliIO, session: Session): Command {
  const l = words(io);
  const program = new Command('cobranza')
    .description(l('Collections management: portfolio, aging, phases and segments.', 'Gestión de cobranza: cartera, antigüedad de saldos, fases y segmentos.'))
    .version('0.1.0', '-V, --version', l('output the version number', 'muestra el número de versión'));
  registerServeCommands(program, io, session, runCli);
  registerPortfolioCommands(program, io, session);
  registerRunCommands(program, io, session);
  registerReportKpisCommand(program, io, session);
  registerAdminCommands(program, io, session);
  registerComplianceCommands(program, io);
  registerComplianceSettingsCommands(program, io, session);
  registerComplianceReportCommand(program, io, session);
  registerStrategyCommands(program, io, session);
  registerWorkerCommands(program, io, session);
  registerTimelineCommands(program, io, session);
  registerSandboxCommands(program, io, session);
  registerUserCommands(program, io, session);
  registerNegotiationCommands(program, io, session);
  registerTemplateCommands(program, io, session);
  registerReplyCommands(program, io, session);
  registerPortalCommands(program, io, session);
  configureUsage(program, io);
  return program;
}
