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
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { headedColumns, parseIntOption, userPath } from './shared.ts';
import { t, type Language } from '../../domain/text.ts';

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
  const l = words(io);
  const strategies = program.command('strategies').description(l('Strategies (collection plans): which message or task goes to whom, when, on which channel', 'Estrategias (planes de cobranza): qué mensaje o tarea va a quién, cuándo y por qué canal'));

  strategies
    .command('apply')
    .description(l('Create or edit a strategy from a YAML or JSON file; an edit becomes a new version', 'Crear o editar una estrategia desde un archivo YAML o JSON; una edición se vuelve una nueva versión'))
    .argument('<file>', l('strategy file (.yaml, .yml or .json)', 'archivo de estrategia (.yaml, .yml o .json)'))
    .action(async (file: string) => {
      const source = await readUserFile(io, file);
      const r = await applyStrategy(await session.ctx(), { source });
      io.stdout.write(
        r.versionCreated
          ? l(
              `strategy "${r.name}" ${r.strategyCreated ? 'created' : 'updated'}: version ${r.version} is active on portfolio "${r.portfolio}"\n`,
              `estrategia "${r.name}" ${r.strategyCreated ? 'creada' : 'actualizada'}: la versión ${r.version} está activa en la cartera "${r.portfolio}"\n`,
            )
          : l(`strategy "${r.name}" unchanged: version ${r.version} already has this definition\n`, `estrategia "${r.name}" sin cambios: la versión ${r.version} ya tiene esta definición\n`),
      );
    });

  strategies
    .command('list')
    .description(l('Strategies with their active version', 'Las estrategias con su versión activa'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (opts: { json?: boolean }) => {
      const rows = await listStrategies(await session.ctx());
      if (opts.json) {
        io.stdout.write(jsonText(rows));
        return;
      }
      if (rows.length === 0) {
        io.stdout.write(l('no strategies (create one with "cobranza strategies apply FILE")\n', 'no hay estrategias (cree una con "cobranza strategies apply ARCHIVO")\n'));
        return;
      }
      io.stdout.write(
        formatTable(
          headedColumns(io, { name: 'nombre', portfolio: 'cartera', status: 'estado', version: 'versión', versions: 'versiones', updated: 'actualizada' }),
          rows.map((r) => ({ name: r.name, portfolio: r.portfolio, status: r.status, version: r.version, versions: r.versions, updated: r.updatedAt.toISOString() })),
          { version: 'right', versions: 'right' },
        ),
      );
    });

  strategies
    .command('show')
    .description(l("A strategy's definition (the active version unless --version)", 'La definición de una estrategia (la versión activa, salvo con --version)'))
    .argument('<name>', l("the strategy's name", 'el nombre de la estrategia'))
    .option('--version <n>', l('show this version', 'mostrar esta versión'), parseIntOption('--version'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (name: string, opts: { version?: number; json?: boolean }) => {
      const s = await showStrategy(await session.ctx(), { name, version: opts.version });
      if (opts.json) {
        io.stdout.write(jsonText(s));
        return;
      }
      io.stdout.write(
        l(`# strategy ${s.name} · portfolio ${s.portfolio} · ${s.status}\n`, `# estrategia ${s.name} · cartera ${s.portfolio} · ${s.status}\n`) +
          l(`# version ${s.version}${s.active ? ' (active)' : ''} · by ${s.createdBy}`, `# versión ${s.version}${s.active ? ' (activa)' : ''} · por ${s.createdBy}`) +
          ` · ${s.createdAt.toISOString()}\n` +
          `# ${l('versions', 'versiones')}: ${s.versions.map((v) => `${v.version}${v.active ? '*' : ''}`).join(', ')}\n` +
          stringify(s.definition),
      );
    });

  for (const [command, status, description, done] of [
    [
      'pause',
      'paused',
      l('Pause a strategy: nothing new is planned', 'Pausar una estrategia: no se planea nada nuevo'),
      l('paused: nothing new is planned (messages already in the outbox still go)', 'pausada: no se planea nada nuevo (los mensajes que ya están en la bandeja de salida sí se envían)'),
    ],
    ['activate', 'active', l('Activate a paused strategy', 'Activar una estrategia pausada'), l('active', 'activa')],
  ] as const) {
    strategies
      .command(command)
      .description(description)
      .argument('<name>', l("the strategy's name", 'el nombre de la estrategia'))
      .action(async (name: string) => {
        await setStrategyStatus(await session.ctx(), { name, status });
        io.stdout.write(l(`strategy "${name}" ${done}\n`, `estrategia "${name}" ${done}\n`));
      });
  }

  strategies
    .command('simulate')
    .description(
      l(
        'Preview, day by day, the messages and tasks the strategies would create and what the compliance gate would refuse; nothing is sent or saved',
        'Ver de antemano, día por día, los mensajes y tareas que crearían las estrategias y lo que rechazaría el filtro de cumplimiento; no se envía ni se guarda nada',
      ),
    )
    .requiredOption('--from <date>', l('first day, YYYY-MM-DD', 'primer día, AAAA-MM-DD'))
    .requiredOption('--to <date>', l('last day, YYYY-MM-DD', 'último día, AAAA-MM-DD'))
    .option('--strategy <name>', l('only this strategy', 'solo esta estrategia'))
    .option('--file <file>', l('simulate this strategy file instead (not applied)', 'simular este archivo de estrategia en su lugar (sin aplicarlo)'))
    .option('--samples', l('list sample messages of each day', 'listar mensajes de muestra de cada día'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (opts: { from: string; to: string; strategy?: string; file?: string; samples?: boolean; json?: boolean }) => {
      const source = opts.file ? await readUserFile(io, opts.file) : undefined;
      const sim = await simulateStrategy(await session.ctx(), { from: opts.from, to: opts.to, strategy: opts.strategy, source, language: io.language });
      io.stdout.write(opts.json ? jsonText(sim) : formatSimulation(sim, !!opts.samples, io.language));
    });

  strategies
    .command('plan')
    .description(l('Plan a day by hand: turn due steps into outbox messages and tasks (the worker does this every day)', 'Planear un día a mano: convertir los pasos que tocan en mensajes de la bandeja de salida y tareas (el worker lo hace cada día)'))
    .option('--as-of <date>', l('YYYY-MM-DD (default: today in the company time zone)', 'AAAA-MM-DD (predeterminado: hoy en la zona horaria de la empresa)'))
    .option('--strategy <name>', l('only this strategy', 'solo esta estrategia'))
    .action(async (opts: { asOf?: string; strategy?: string }) => {
      const plan = await planDay(await session.ctx(), { asOf: opts.asOf, strategy: opts.strategy });
      if (plan.strategies.length === 0) io.stdout.write(l(`${plan.asOf}: no active strategy\n`, `${plan.asOf}: no hay estrategias activas\n`));
      for (const s of plan.strategies) {
        io.stdout.write(
          l(
            `${plan.asOf} ${s.name} v${s.version}: ${s.accounts} accounts, ${s.due} steps due, ${s.messages.created} new messages ` +
              `(${s.messages.now} today, ${s.messages.deferred} deferred, ${s.messages.refused} refused), ${s.tasks.created} tasks, ` +
              `${s.fallbacks} fallbacks, ${s.existing} already planned${s.staleRun ? ' — warning: the daily run of this date has not run yet' : ''}\n`,
            `${plan.asOf} ${s.name} v${s.version}: ${s.accounts} cuentas, ${s.due} pasos que tocan, ${s.messages.created} mensajes nuevos ` +
              `(${s.messages.now} hoy, ${s.messages.deferred} aplazados, ${s.messages.refused} rechazados), ${s.tasks.created} tareas, ` +
              `${s.fallbacks} alternativas, ${s.existing} ya planeados${s.staleRun ? ' — aviso: la corrida diaria de esta fecha todavía no se ha hecho' : ''}\n`,
          ),
        );
      }
    });
}

/** The simulation as text in `language`: one table of days per strategy, refusals by rule, and samples on request. */
export function formatSimulation(sim: SimulationResult, samples: boolean, language: Language = 'en'): string {
  const l = words({ language });
  const out: string[] = [];
  if (sim.strategies.length === 0) return l('no active strategy to simulate\n', 'no hay estrategias activas que simular\n');
  for (const s of sim.strategies) {
    const version = s.version !== null ? ` v${s.version}` : l(' (draft)', ' (borrador)');
    out.push(l(`strategy ${s.name}${version} · portfolio ${s.portfolio} · ${s.accounts} accounts · ${sim.from} → ${sim.to}\n`, `estrategia ${s.name}${version} · cartera ${s.portfolio} · ${s.accounts} cuentas · ${sim.from} → ${sim.to}\n`));
    out.push(
      formatTable(
        headedColumns({ language }, { date: 'fecha', messages: 'mensajes', deferred: 'aplazados', refused: 'rechazados', tasks: 'tareas', by_channel: 'por canal' }).map((c) => ({ ...c, header: c.header.replace('_', ' ') })),
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
    const t = s.totals;
    out.push(
      l(
        `total: ${t.messages} messages (${t.deferred} deferred to a later day), ${t.refused} refused, ${t.tasks} tasks\n`,
        `total: ${t.messages} mensajes (${t.deferred} aplazados a otro día), ${t.refused} rechazados, ${t.tasks} tareas\n`,
      ),
    );
    const rules = Object.entries(s.refusalsByRule).sort((a, b) => b[1] - a[1]);
    if (rules.length) {
      out.push(l('gate deferrals and refusals by rule:\n', 'aplazamientos y rechazos del filtro por regla:\n'));
      for (const [rule, n] of rules) {
        const example = s.refusals.find((r) => r.rule === rule);
        out.push(`  ${rule}: ${n}${example?.reason ? ` — ${l('e.g.', 'p. ej.')} ${example.debtor}, ${example.date}: ${example.reason}` : ''}\n`);
      }
    }
    if (samples) {
      for (const d of s.days) {
        for (const x of d.samples) {
          const at = x.scheduledFor ? ` ${l('at', 'a las')} ${x.scheduledFor}` : '';
          out.push(`  ${x.date} ${x.debtor} · ${x.step} · ${x.channel}${x.fallback ? l(' (fallback)', ' (alternativa)') : ''} · ${x.outcome}${at}${x.rule && x.rule !== 'allowed' ? ` · ${x.rule}` : ''}\n`);
        }
      }
    }
    out.push('\n');
  }
  return out.join('');
}
