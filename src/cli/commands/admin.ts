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
import type { CliIO } from '../io.ts';
import { snakeKeys } from '../json.ts';
import type { Session } from '../session.ts';
import { oneOf, parseIntOption } from './shared.ts';

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
  const segments = program.command('segments').description('Segments: named rules over account facts, evaluated by the daily run');
  segments
    .command('add')
    .argument('<name>')
    .requiredOption('--rule <expr>', "e.g. \"phase = 'administrative' and balance.MXN >= 5000 and region in ('JAL','NLE')\"")
    .option('--description <text>')
    .action(async (name: string, opts: { rule: string; description?: string }) => {
      const s = await addSegment(await session.ctx(), { name, rule: opts.rule, description: opts.description });
      io.stdout.write(`segment "${s.name}" saved; it applies from the next run\n`);
    });
  segments.command('list').action(async () => {
    const rows = await listSegments(await session.ctx());
    const es = io.language === 'es';
    const columns = [
      { key: 'name', header: es ? 'nombre' : 'name' },
      { key: 'rule', header: es ? 'regla' : 'rule' },
    ];
    io.stdout.write(rows.length ? formatTable(columns, rows.map((r) => ({ name: r.name, rule: r.rule }))) : es ? 'no hay segmentos\n' : 'no segments\n');
  });
  segments
    .command('remove')
    .argument('<name>')
    .action(async (name: string) => {
      await removeSegment(await session.ctx(), { name });
      io.stdout.write(`segment "${name}" removed\n`);
    });

  const phases = program.command('phases').description('Phase thresholds per portfolio, and manual phases per account');
  phases
    .command('show')
    .description('Phase thresholds of one portfolio, or of every portfolio of the company')
    .option('--portfolio <name>', 'only this portfolio')
    .action(async (opts: { portfolio?: string }) => {
      const ctx = await session.ctx();
      const shown = opts.portfolio !== undefined ? [{ ...(await getPhases(ctx, opts)), inUse: true }] : await listPhases(ctx);
      io.stdout.write(shown.map((p) => phasesText(p, io.language)).join('\n'));
    });
  phases
    .command('set')
    .description('Change phase thresholds (from the next run); with several portfolios, name one or give --all')
    .option('--portfolio <name>', 'the portfolio to change')
    .option('--all', 'change every portfolio of the company')
    .option('--preventive-days <n>', 'reminders start this many days before due', parseIntOption('--preventive-days'))
    .option('--administrative-from <n>', 'first DPD of the administrative phase', parseIntOption('--administrative-from'))
    .option('--extrajudicial-from <n>', 'first DPD of the extrajudicial phase', parseIntOption('--extrajudicial-from'))
    .option('--judicial-from <n>', 'first DPD of the judicial phase', parseIntOption('--judicial-from'))
    .option('--grace-days <n>', 'days that delay the phase', parseIntOption('--grace-days'))
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
        io.stdout.write(`portfolio ${p.portfolio}: administrative ${p.administrativeFrom}, extrajudicial ${p.extrajudicialFrom}, judicial ${p.judicialFrom}, grace ${p.graceDays}, preventive ${p.preventiveDays}; applies from the next run\n`);
      }
    });
  phases
    .command('override')
    .description('Put an account in a phase by hand (e.g. judicial, written_off) until cleared or --until')
    .argument('<debtor>', 'debtor external id')
    .argument('<phase>', 'preventive | administrative | extrajudicial | judicial | written_off')
    .requiredOption('--reason <text>')
    .option('--until <date>', 'YYYY-MM-DD; thresholds apply again after this date')
    .option('--portfolio <name>')
    .action(async (debtor: string, phase: string, opts: { reason: string; until?: string; portfolio?: string }) => {
      await overridePhase(await session.ctx(), { debtorExternalId: debtor, phase, reason: opts.reason, until: opts.until, portfolio: opts.portfolio });
      io.stdout.write(`${debtor}: phase set to ${phase} by hand\n`);
    });
  phases
    .command('clear')
    .description('Remove a manual phase; thresholds apply again at the next run')
    .argument('<debtor>')
    .requiredOption('--reason <text>')
    .option('--portfolio <name>')
    .action(async (debtor: string, opts: { reason: string; portfolio?: string }) => {
      await overridePhase(await session.ctx(), { debtorExternalId: debtor, phase: null, reason: opts.reason, portfolio: opts.portfolio });
      io.stdout.write(`${debtor}: manual phase cleared\n`);
    });

  const hold = program.command('hold').description('Holds suspend collection of a debtor (dispute, deceased, bankruptcy, legal, …)');
  hold
    .command('add')
    .argument('<debtor>', 'debtor external id')
    .requiredOption('--reason <reason>', HOLD_REASONS.join(' | '), oneOf('--reason', HOLD_REASONS))
    .option('--note <text>')
    .option('--expires <date>', 'YYYY-MM-DD')
    .action(async (debtor: string, opts: { reason: string; note?: string; expires?: string }) => {
      const h = await addHold(await session.ctx(), { debtorExternalId: debtor, reason: opts.reason, note: opts.note, expiresOn: opts.expires });
      io.stdout.write(`${debtor}: hold ${h.reason} from ${h.startsOn}${h.expiresOn ? ` until ${h.expiresOn}` : ''}\n`);
    });
  hold
    .command('remove')
    .argument('<debtor>')
    .option('--reason <reason>', 'only holds of this reason', oneOf('--reason', HOLD_REASONS))
    .option('--note <text>')
    .action(async (debtor: string, opts: { reason?: string; note?: string }) => {
      const n = await removeHold(await session.ctx(), { debtorExternalId: debtor, reason: opts.reason, note: opts.note });
      io.stdout.write(`${debtor}: ${n} hold${n === 1 ? '' : 's'} released\n`);
    });
  hold
    .command('list')
    .argument('<debtor>')
    .action(async (debtor: string) => {
      const rows = await listHolds(await session.ctx(), { debtorExternalId: debtor });
      io.stdout.write(
        rows.length
          ? formatTable(
              ['reason', 'starts_on', 'expires_on', 'created_by', 'note'].map((k) => ({ key: k, header: k })),
              rows.map((r) => snakeKeys(r) as Record<string, Cell>),
            )
          : `${debtor}: no active holds\n`,
      );
    });

  const apikey = program.command('apikey').description('API keys: create, list, revoke');
  apikey
    .command('create')
    .argument('<name>')
    .option('--role <role>', `what the key may do: ${API_KEY_ROLES.join(' | ')} (default ${DEFAULT_API_KEY_ROLE})`, DEFAULT_API_KEY_ROLE)
    .action(async (name: string, opts: { role: string }) => {
      const k = await createApiKey({ database: await session.database(), companyId: (await session.company()).company.id, name, role: opts.role, clock: session.clock });
      const hint = k.role === 'admin' ? ' (may do everything; --role viewer, collector… gives less)' : '';
      io.stdout.write(`API key "${k.name}", id ${k.id}, role ${k.role}${hint}; shown once, store it now:\n${k.key}\n`);
    });
  apikey
    .command('list')
    .description('Every API key with its role, creation, last use and revocation (never the secret)')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      const keys = await listApiKeys(await session.ctx());
      if (opts.json) {
        io.stdout.write(JSON.stringify(keys, null, 2) + '\n');
        return;
      }
      const columns = ['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at', 'revoked_at'].map((key) => ({ key, header: key }));
      io.stdout.write(keys.length ? formatTable(columns, keys.map((k) => ({ ...k, last_used_at: k.last_used_at ?? '-', revoked_at: k.revoked_at ?? '-' }))) : 'no API keys\n');
    });
  apikey
    .command('revoke')
    .argument('<name-or-id>', 'the id (from apikey list) or the name of an active key')
    .description('Revoke an API key: every later request with it is refused (401)')
    .action(async (ref: string) => {
      const k = await revokeApiKey(await session.ctx(), /^\d+$/.test(ref) ? { id: Number(ref) } : { name: ref });
      io.stdout.write(`API key "${k.name}" (id ${k.id}, ${k.role}) revoked\n`);
    });

  program
    .command('migrate')
    .description('Apply database migrations (safe to run twice)')
    .action(async () => {
      await session.database();
      io.stdout.write('database is up to date\n');
    });
}
