/**
 * `cobranza strategies …`: strategy files (apply, list, show, pause, activate), the preview (simulate) and planning
 * a day by hand (plan).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { AppError } from '../../modules/shared/errors.ts';
import { formatTable } from '../../modules/shared/tabular.ts';
import { applyStrategy, listStrategies, planDay, setStrategyStatus, showStrategy, simulateStrategy, type SimulationResult } from '../../modules/strategies/index.ts';
import type { CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { parseIntOption, userPath } from './shared.ts';
import { t } from '../../domain/text.ts';

async function readUserFile(io: CliIO, file: string): Promise<string> {
  const path = userPath(io, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('validation_failed', t(`cannot read ${path}${code === 'ENOENT' ? ': no such file' : `: ${(error as Error).message}`}`, `no se puede leer ${path}${code === 'ENOENT' ? ': no existe el archivo' : `: ${(error as Error).message}`}`));
  }
}

export function registerStrategyCommands(program: Command, io: CliIO, session: Session): void {
  const strategies = program.command('strategies').description('Strategies (planes de cobranza): which message or task goes to whom, when, on which channel');

  strategies
    .command('apply')
    .description('Create or edit a strategy from a YAML or JSON file; an edit becomes a new version')
    .argument('<file>', 'strategy file (.yaml, .yml or .json)')
    .action(async (file: string) => {
      const source = await readUserFile(io, file);
      const r = await applyStrategy(await session.ctx(), { source });
      io.stdout.write(
        r.versionCreated
          ? `strategy "${r.name}" ${r.strategyCreated ? 'created' : 'updated'}: version ${r.version} is active on portfolio "${r.portfolio}"\n`
          : `strategy "${r.name}" unchanged: version ${r.version} already has this definition\n`,
      );
    });

  strategies
    .command('list')
    .description('Strategies with their active version')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await listStrategies(await session.ctx());
      if (opts.json) {
        io.stdout.write(jsonText(rows));
        return;
      }
      if (rows.length === 0) {
        io.stdout.write('no strategies (create one with "cobranza strategies apply FILE")\n');
        return;
      }
      io.stdout.write(
        formatTable(
          ['name', 'portfolio', 'status', 'version', 'versions', 'updated'].map((k) => ({ key: k, header: k })),
          rows.map((r) => ({ name: r.name, portfolio: r.portfolio, status: r.status, version: r.version, versions: r.versions, updated: r.updatedAt.toISOString() })),
          { version: 'right', versions: 'right' },
        ),
      );
    });

  strategies
    .command('show')
    .description("A strategy's definition (the active version unless --version)")
    .argument('<name>')
    .option('--version <n>', 'show this version', parseIntOption('--version'))
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { version?: number; json?: boolean }) => {
      const s = await showStrategy(await session.ctx(), { name, version: opts.version });
      if (opts.json) {
        io.stdout.write(jsonText(s));
        return;
      }
      io.stdout.write(
        `# strategy ${s.name} · portfolio ${s.portfolio} · ${s.status}\n` +
          `# version ${s.version}${s.active ? ' (active)' : ''} · by ${s.createdBy} · ${s.createdAt.toISOString()}\n` +
          `# versions: ${s.versions.map((v) => `${v.version}${v.active ? '*' : ''}`).join(', ')}\n` +
          stringify(s.definition),
      );
    });

  for (const [command, status, done] of [
    ['pause', 'paused', 'paused: nothing new is planned (messages already in the outbox still go)'],
    ['activate', 'active', 'active'],
  ] as const) {
    strategies
      .command(command)
      .argument('<name>')
      .action(async (name: string) => {
        await setStrategyStatus(await session.ctx(), { name, status });
        io.stdout.write(`strategy "${name}" ${done}\n`);
      });
  }

  strategies
    .command('simulate')
    .description('Preview, day by day, the messages and tasks the strategies would create and what the compliance gate would refuse; nothing is sent or saved')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .option('--strategy <name>', 'only this strategy')
    .option('--file <file>', 'simulate this strategy file instead (not applied)')
    .option('--samples', 'list sample messages of each day')
    .option('--json', 'print JSON')
    .action(async (opts: { from: string; to: string; strategy?: string; file?: string; samples?: boolean; json?: boolean }) => {
      const source = opts.file ? await readUserFile(io, opts.file) : undefined;
      const sim = await simulateStrategy(await session.ctx(), { from: opts.from, to: opts.to, strategy: opts.strategy, source });
      io.stdout.write(opts.json ? jsonText(sim) : formatSimulation(sim, !!opts.samples));
    });

  strategies
    .command('plan')
    .description('Plan a day by hand: turn due steps into outbox messages and tasks (the worker does this every day)')
    .option('--as-of <date>', 'YYYY-MM-DD (default: today in the company time zone)')
    .option('--strategy <name>', 'only this strategy')
    .action(async (opts: { asOf?: string; strategy?: string }) => {
      const plan = await planDay(await session.ctx(), { asOf: opts.asOf, strategy: opts.strategy });
      if (plan.strategies.length === 0) io.stdout.write(`${plan.asOf}: no active strategy\n`);
      for (const s of plan.strategies) {
        io.stdout.write(
          `${plan.asOf} ${s.name} v${s.version}: ${s.accounts} accounts, ${s.due} steps due, ${s.messages.created} new messages ` +
            `(${s.messages.now} today, ${s.messages.deferred} deferred, ${s.messages.refused} refused), ${s.tasks.created} tasks, ` +
            `${s.fallbacks} fallbacks, ${s.existing} already planned${s.staleRun ? ' — warning: the daily run of this date has not run yet' : ''}\n`,
        );
      }
    });
}

/** The simulation as text: one table of days per strategy, refusals by rule, and samples on request. */
export function formatSimulation(sim: SimulationResult, samples: boolean): string {
  const out: string[] = [];
  if (sim.strategies.length === 0) return 'no active strategy to simulate\n';
  for (const s of sim.strategies) {
    out.push(`strategy ${s.name}${s.version !== null ? ` v${s.version}` : ' (draft)'} · portfolio ${s.portfolio} · ${s.accounts} accounts · ${sim.from} → ${sim.to}\n`);
    out.push(
      formatTable(
        ['date', 'messages', 'deferred', 'refused', 'tasks', 'by_channel'].map((k) => ({ key: k, header: k.replace('_', ' ') })),
        s.days.map((d) => ({
          date: d.date,
          messages: d.messages,
          deferred: d.deferred,
          refused: d.refused,
          tasks: d.tasks,
          by_channel: Object.entries(d.byChannel)
            .map(([c, n]) => `${c} ${n}`)
            .join(', '),
        })),
        { messages: 'right', deferred: 'right', refused: 'right', tasks: 'right' },
      ),
    );
    out.push(`total: ${s.totals.messages} messages (${s.totals.deferred} deferred to a later day), ${s.totals.refused} refused, ${s.totals.tasks} tasks\n`);
    const rules = Object.entries(s.refusalsByRule).sort((a, b) => b[1] - a[1]);
    if (rules.length) {
      out.push('gate deferrals and refusals by rule:\n');
      for (const [rule, n] of rules) {
        const example = s.refusals.find((r) => r.rule === rule);
        out.push(`  ${rule}: ${n}${example?.reason ? ` — e.g. ${example.debtor}, ${example.date}: ${example.reason}` : ''}\n`);
      }
    }
    if (samples) {
      for (const d of s.days) {
        for (const x of d.samples) {
          out.push(`  ${x.date} ${x.debtor} · ${x.step} · ${x.channel}${x.fallback ? ' (fallback)' : ''} · ${x.outcome}${x.scheduledFor ? ` at ${x.scheduledFor}` : ''}${x.rule && x.rule !== 'allowed' ? ` · ${x.rule}` : ''}\n`);
        }
      }
    }
    out.push('\n');
  }
  return out.join('');
}
