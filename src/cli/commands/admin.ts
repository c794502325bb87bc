import type { Command } from 'commander';
import {
  addHold,
  addSegment,
  getPhases,
  HOLD_REASONS,
  listPhases,
  listHolds,
  listSegments,
  overridePhase,
  removeHold,
  removeSegment,
  setPhases,
  setPhasesEverywhere,
  soleInUsePortfolio,
  type PhaseSettings,
} from '../../modules/collection-runs/index.ts';
import { phaseName, type ThresholdNames } from '../../domain/aging.ts';
import type { Language } from '../../domain/text.ts';
import { AppError, t } from '../../modules/shared/errors.ts';
import { createApiKey, DEFAULT_API_KEY_ROLE, listApiKeys, revokeApiKey } from '../../modules/access/api-keys.ts';
import { API_KEY_ROLES } from '../../modules/access/permissions.ts';
import { formatTable, type Cell } from '../../modules/shared/tabular.ts';
import { words, type CliIO } from '../io.ts';
import { snakeKeys } from '../json.ts';
import type { Session } from '../session.ts';
import { headedColumns, oneOf, parseIntOption } from './shared.ts';

/** The thresholds as `phases set` takes them, for its refusals. */
const THRESHOLD_FLAGS: ThresholdNames = {
  preventiveDays: '--preventive-days',
  administrativeFrom: '--administrative-from',
  extrajudicialFrom: '--extrajudicial-from',
  judicialFrom: '--judicial-from',
  graceDays: '--grace-days',
};

/** A portfolio's thresholds as `phases show` prints them, in `language`. */
function phasesText(p: PhaseSettings & { inUse: boolean }, language: Language): string {
  const es = language === 'es';
  const row = (label: string, text: string) => `  ${label.padEnd(17)}${text}\n`;
  const phase = (name: string) => phaseName(name, language);
  const dpd = es ? 'atraso' : 'DPD';
  return (
    `${es ? 'cartera' : 'portfolio'} ${p.portfolio}${p.inUse ? '' : es ? ' (sin documentos)' : ' (no documents)'}\n` +
    row(phase('preventive'), `${dpd} ≤ 0 (${es ? `recordatorios desde ${p.preventiveDays} días antes del vencimiento` : `reminders from ${p.preventiveDays} days before due`})`) +
    row(phase('administrative'), `${dpd} ${p.administrativeFrom}–${p.extrajudicialFrom - 1}`) +
    row(phase('extrajudicial'), `${dpd} ${p.extrajudicialFrom}–${p.judicialFrom - 1}`) +
    row(phase('judicial'), `${dpd} ≥ ${p.judicialFrom}`) +
    row(es ? 'días de gracia' : 'grace days', `${p.graceDays} (${es ? 'retrasan la fase, no los días de atraso' : 'delay the phase, not the DPD'})`)
  );
}

export function registerAdminCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const segments = program.command('segments').description(l('Segments: named rules over account facts, evaluated by the daily run', 'Segmentos: reglas con nombre sobre los datos de las cuentas, que evalúa la corrida diaria'));
  segments
    .command('add')
    .description(l('Add a segment, or change the rule of one with that name', 'Agregar un segmento, o cambiar la regla del que tenga ese nombre'))
    .argument('<name>', l("the segment's name", 'el nombre del segmento'))
    .requiredOption('--rule <expr>', l("e.g. \"phase = 'administrative' and balance.MXN >= 5000 and region in ('JAL','NLE')\"", "p. ej. \"phase = 'administrative' and balance.MXN >= 5000 and region in ('JAL','NLE')\""))
    .option('--description <text>', l('what the segment is for', 'para qué sirve el segmento'))
    .action(async (name: string, opts: { rule: string; description?: string }) => {
      const s = await addSegment(await session.ctx(), { name, rule: opts.rule, description: opts.description });
      io.stdout.write(l(`segment "${s.name}" saved; it applies from the next run\n`, `segmento "${s.name}" guardado; se aplica desde la próxima corrida\n`));
    });
  segments
    .command('list')
    .description(l('The segments and their rules', 'Los segmentos y sus reglas'))
    .action(async () => {
      const rows = await listSegments(await session.ctx());
      const columns = [
        { key: 'name', header: l('name', 'nombre') },
        { key: 'rule', header: l('rule', 'regla') },
      ];
      io.stdout.write(rows.length ? formatTable(columns, rows.map((r) => ({ name: r.name, rule: r.rule }))) : l('no segments\n', 'no hay segmentos\n'));
    });
  segments
    .command('remove')
    .description(l('Remove a segment', 'Eliminar un segmento'))
    .argument('<name>', l("the segment's name", 'el nombre del segmento'))
    .action(async (name: string) => {
      await removeSegment(await session.ctx(), { name });
      io.stdout.write(l(`segment "${name}" removed\n`, `segmento "${name}" eliminado\n`));
    });

  const phases = program.command('phases').description(l('Phase thresholds per portfolio, and manual phases per account', 'Umbrales de fase por cartera, y fases manuales por cuenta'));
  phases
    .command('show')
    .description(l('Phase thresholds of one portfolio, or of every portfolio of the company', 'Umbrales de fase de una cartera, o de todas las carteras de la empresa'))
    .option('--portfolio <name>', l('only this portfolio', 'solo esta cartera'))
    .action(async (opts: { portfolio?: string }) => {
      const ctx = await session.ctx();
      const shown = opts.portfolio !== undefined ? [{ ...(await getPhases(ctx, opts)), inUse: true }] : await listPhases(ctx);
      io.stdout.write(shown.map((p) => phasesText(p, io.language)).join('\n'));
    });
  phases
    .command('set')
    .description(l('Change phase thresholds (from the next run); with several portfolios, name one or give --all', 'Cambiar los umbrales de fase (desde la próxima corrida); con varias carteras, indicar una o usar --all'))
    .option('--portfolio <name>', l('the portfolio to change', 'la cartera que cambiar'))
    .option('--all', l('change every portfolio of the company', 'cambiar todas las carteras de la empresa'))
    .option('--preventive-days <n>', l('reminders start this many days before due', 'los recordatorios empiezan estos días antes del vencimiento'), parseIntOption('--preventive-days'))
    .option('--administrative-from <n>', l('first DPD of the administrative phase', 'primer día de atraso de la fase administrativa'), parseIntOption('--administrative-from'))
    .option('--extrajudicial-from <n>', l('first DPD of the extrajudicial phase', 'primer día de atraso de la fase extrajudicial'), parseIntOption('--extrajudicial-from'))
    .option('--judicial-from <n>', l('first DPD of the judicial phase', 'primer día de atraso de la fase judicial'), parseIntOption('--judicial-from'))
    .option('--grace-days <n>', l('days that delay the phase', 'días que retrasan la fase'), parseIntOption('--grace-days'))
    .action(async (opts: { portfolio?: string; all?: boolean; preventiveDays?: number; administrativeFrom?: number; extrajudicialFrom?: number; judicialFrom?: number; graceDays?: number }) => {
      const { portfolio, all, ...thresholds } = opts;
      if (all && portfolio !== undefined) throw new AppError('validation_failed', t('give --portfolio or --all, not both', 'indique --portfolio o --all, no ambos'));
      if (Object.values(thresholds).every((v) => v === undefined)) {
        throw new AppError('validation_failed', t('name at least one threshold to change (--extrajudicial-from, --grace-days, …)', 'indique al menos un umbral que cambiar (--extrajudicial-from, --grace-days, …)'));
      }
      const ctx = await session.ctx();
      const changed = all
        ? await setPhasesEverywhere(ctx, { thresholds, names: THRESHOLD_FLAGS })
        : [
            await setPhases(ctx, {
              portfolio: portfolio ?? (await soleInUsePortfolio(ctx, { en: 'name one with --portfolio NAME, or give --all to change them all', es: 'indique una con --portfolio NOMBRE, o use --all para cambiarlas todas' })),
              thresholds,
              names: THRESHOLD_FLAGS,
            }),
          ];
      for (const p of changed) {
        const phase = (name: string) => phaseName(name, io.language);
        io.stdout.write(
          l(
            `portfolio ${p.portfolio}: administrative ${p.administrativeFrom}, extrajudicial ${p.extrajudicialFrom}, judicial ${p.judicialFrom}, grace ${p.graceDays}, preventive ${p.preventiveDays}; applies from the next run\n`,
            `cartera ${p.portfolio}: ${phase('administrative')} ${p.administrativeFrom}, ${phase('extrajudicial')} ${p.extrajudicialFrom}, ${phase('judicial')} ${p.judicialFrom}, gracia ${p.graceDays}, ${phase('preventive')} ${p.preventiveDays}; se aplica desde la próxima corrida\n`,
          ),
        );
      }
    });
  phases
    .command('override')
    .description(l('Put an account in a phase by hand (e.g. judicial, written_off) until cleared or --until', 'Poner una cuenta en una fase a mano (p. ej. judicial, written_off) hasta quitarla o hasta --until'))
    .argument('<debtor>', l('debtor external id', 'id externo del deudor'))
    .argument('<phase>', 'preventive | administrative | extrajudicial | judicial | written_off')
    .requiredOption('--reason <text>', l('why, for the audit log', 'el motivo, para la bitácora'))
    .option('--until <date>', l('YYYY-MM-DD; thresholds apply again after this date', 'AAAA-MM-DD; los umbrales vuelven a aplicarse después de esta fecha'))
    .option('--portfolio <name>', l("only the debtor's account in this portfolio", 'solo la cuenta del deudor en esta cartera'))
    .action(async (debtor: string, phase: string, opts: { reason: string; until?: string; portfolio?: string }) => {
      await overridePhase(await session.ctx(), { debtorExternalId: debtor, phase, reason: opts.reason, until: opts.until, portfolio: opts.portfolio });
      io.stdout.write(l(`${debtor}: phase set to ${phase} by hand\n`, `${debtor}: fase ${phaseName(phase, 'es')} puesta a mano\n`));
    });
  phases
    .command('clear')
    .description(l('Remove a manual phase; thresholds apply again at the next run', 'Quitar una fase manual; los umbrales vuelven a aplicarse en la próxima corrida'))
    .argument('<debtor>', l('debtor external id', 'id externo del deudor'))
    .requiredOption('--reason <text>', l('why, for the audit log', 'el motivo, para la bitácora'))
    .option('--portfolio <name>', l("only the debtor's account in this portfolio", 'solo la cuenta del deudor en esta cartera'))
    .action(async (debtor: string, opts: { reason: string; portfolio?: string }) => {
      await overridePhase(await session.ctx(), { debtorExternalId: debtor, phase: null, reason: opts.reason, portfolio: opts.portfolio });
      io.stdout.write(l(`${debtor}: manual phase cleared\n`, `${debtor}: fase manual quitada\n`));
    });

  const hold = program.command('hold').description(l('Holds suspend collection of a debtor (dispute, deceased, bankruptcy, legal, …)', 'Las suspensiones detienen la cobranza de un deudor (disputa, fallecimiento, concurso, motivo legal, …)'));
  hold
    .command('add')
    .description(l('Put a debtor on hold', 'Suspender la cobranza de un deudor'))
    .argument('<debtor>', l('debtor external id', 'id externo del deudor'))
    .requiredOption('--reason <reason>', HOLD_REASONS.join(' | '), oneOf('--reason', HOLD_REASONS))
    .option('--note <text>', l('a note for the people who read it', 'una nota para quien la lea'))
    .option('--expires <date>', l('YYYY-MM-DD; the hold ends that day', 'AAAA-MM-DD; la suspensión termina ese día'))
    .action(async (debtor: string, opts: { reason: string; note?: string; expires?: string }) => {
      const h = await addHold(await session.ctx(), { debtorExternalId: debtor, reason: opts.reason, note: opts.note, expiresOn: opts.expires });
      io.stdout.write(l(`${debtor}: hold ${h.reason} from ${h.startsOn}${h.expiresOn ? ` until ${h.expiresOn}` : ''}\n`, `${debtor}: suspensión ${h.reason} desde el ${h.startsOn}${h.expiresOn ? ` hasta el ${h.expiresOn}` : ''}\n`));
    });
  hold
    .command('remove')
    .description(l("Release a debtor's holds", 'Levantar las suspensiones de un deudor'))
    .argument('<debtor>', l('debtor external id', 'id externo del deudor'))
    .option('--reason <reason>', l('only holds of this reason', 'solo las suspensiones por este motivo'), oneOf('--reason', HOLD_REASONS))
    .option('--note <text>', l('why they are released', 'por qué se levantan'))
    .action(async (debtor: string, opts: { reason?: string; note?: string }) => {
      const n = await removeHold(await session.ctx(), { debtorExternalId: debtor, reason: opts.reason, note: opts.note });
      io.stdout.write(l(`${debtor}: ${n} hold${n === 1 ? '' : 's'} released\n`, `${debtor}: ${n} ${n === 1 ? 'suspensión levantada' : 'suspensiones levantadas'}\n`));
    });
  hold
    .command('list')
    .description(l("A debtor's active holds", 'Las suspensiones activas de un deudor'))
    .argument('<debtor>', l('debtor external id', 'id externo del deudor'))
    .action(async (debtor: string) => {
      const rows = await listHolds(await session.ctx(), { debtorExternalId: debtor });
      io.stdout.write(
        rows.length
          ? formatTable(
              headedColumns(io, { reason: 'motivo', starts_on: 'desde', expires_on: 'hasta', created_by: 'creada por', note: 'nota' }),
              rows.map((r) => snakeKeys(r) as Record<string, Cell>),
            )
          : l(`${debtor}: no active holds\n`, `${debtor}: sin suspensiones activas\n`),
      );
    });

  const apikey = program.command('apikey').description(l('API keys: create, list, revoke', 'Claves de API: crear, listar, revocar'));
  apikey
    .command('create')
    .description(l('Create an API key (its secret is shown once)', 'Crear una clave de API (su secreto se muestra una sola vez)'))
    .argument('<name>', l("the key's name", 'el nombre de la clave'))
    .option('--role <role>', l(`what the key may do: ${API_KEY_ROLES.join(' | ')} (default ${DEFAULT_API_KEY_ROLE})`, `lo que puede hacer la clave: ${API_KEY_ROLES.join(' | ')} (predeterminado ${DEFAULT_API_KEY_ROLE})`), DEFAULT_API_KEY_ROLE)
    .action(async (name: string, opts: { role: string }) => {
      const k = await createApiKey({ database: await session.database(), companyId: (await session.company()).company.id, name, role: opts.role, clock: session.clock });
      const hint = k.role === 'admin' ? l(' (may do everything; --role viewer, collector… gives less)', ' (puede hacerlo todo; --role viewer, collector… da menos)') : '';
      io.stdout.write(
        l(`API key "${k.name}", id ${k.id}, role ${k.role}${hint}; shown once, store it now:\n${k.key}\n`, `clave de API "${k.name}", id ${k.id}, rol ${k.role}${hint}; se muestra una sola vez, guárdela ahora:\n${k.key}\n`),
      );
    });
  apikey
    .command('list')
    .description(l('Every API key with its role, creation, last use and revocation (never the secret)', 'Todas las claves de API con su rol, creación, último uso y revocación (nunca el secreto)'))
    .option('--json', l('as JSON', 'en JSON'))
    .action(async (opts: { json?: boolean }) => {
      const keys = await listApiKeys(await session.ctx());
      if (opts.json) {
        io.stdout.write(JSON.stringify(keys, null, 2) + '\n');
        return;
      }
      const columns = headedColumns(io, { id: 'id', name: 'nombre', role: 'rol', prefix: 'prefijo', created_at: 'creada', last_used_at: 'último uso', revoked_at: 'revocada' });
      io.stdout.write(keys.length ? formatTable(columns, keys.map((k) => ({ ...k, last_used_at: k.last_used_at ?? '-', revoked_at: k.revoked_at ?? '-' }))) : l('no API keys\n', 'no hay claves de API\n'));
    });
  apikey
    .command('revoke')
    .argument('<name-or-id>', l('the id (from apikey list) or the name of an active key', 'el id (de apikey list) o el nombre de una clave activa'))
    .description(l('Revoke an API key: every later request with it is refused (401)', 'Revocar una clave de API: toda solicitud posterior con ella se rechaza (401)'))
    .action(async (ref: string) => {
      const k = await revokeApiKey(await session.ctx(), /^\d+$/.test(ref) ? { id: Number(ref) } : { name: ref });
      io.stdout.write(l(`API key "${k.name}" (id ${k.id}, ${k.role}) revoked\n`, `clave de API "${k.name}" (id ${k.id}, ${k.role}) revocada\n`));
    });

  program
    .command('migrate')
    .description(l('Apply database migrations (safe to run twice)', 'Aplicar las migraciones de la base de datos (se puede ejecutar dos veces sin riesgo)'))
    .action(async () => {
      await session.database();
      const n = session.migrationsApplied();
      io.stdout.write(
        n === 0
          ? l('database was already up to date\n', 'la base de datos ya estaba al día\n')
          : l(`applied ${n} migration${n === 1 ? '' : 's'}; database is up to date\n`, `${n === 1 ? 'se aplicó 1 migración' : `se aplicaron ${n} migraciones`}; la base de datos está al día\n`),
      );
    });
}
