/** `cobranza users …` and `cobranza audit list`: people who sign in, and the audit log. */
import type { Command } from 'commander';
import { createUser } from '../../modules/access/create-user.ts';
import { listAudit } from '../../modules/access/list-audit.ts';
import { listUsers } from '../../modules/access/list-users.ts';
import { requestPasswordReset } from '../../modules/access/password-reset.ts';
import { ROLES } from '../../modules/access/permissions.ts';
import { setUserPassword } from '../../modules/access/set-user-password.ts';
import { updateUser } from '../../modules/access/update-user.ts';
import { findUser } from '../../modules/access/user-views.ts';
import { formatTable } from '../../modules/shared/tabular.ts';
import { AppError } from '../../modules/shared/errors.ts';
import { companyProvidersFromConfig, resetMailer } from '../providers.ts';
import { resolveSecretsKey } from '../secrets-key.ts';
import type { CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { oneOf, parseIntOption } from './shared.ts';
import { t } from '../../domain/text.ts';

const USER_COLUMNS = ['email', 'name', 'role', 'agency', 'active', 'last_login_at', 'locked_until'].map((k) => ({ key: k, header: k }));

export function registerUserCommands(program: Command, io: CliIO, session: Session): void {
  const users = program.command('users').description('Users who sign in to the web app, and their roles');
  users
    .command('add')
    .argument('<email>')
    .requiredOption('--name <name>')
    .requiredOption('--role <role>', ROLES.join(' | '), oneOf('--role', ROLES))
    .option('--agency <name>', 'for the agency role: the agency (created if new)')
    .action(async (email: string, opts: { name: string; role: string; agency?: string }) => {
      const r = await createUser(await session.ctx(), { email, name: opts.name, role: opts.role, agency: opts.agency });
      io.stdout.write(`user ${r.user.email} (${r.user.role}) added; password (shown once, store it now):\n${r.generatedPassword}\n`);
    });
  users
    .command('list')
    .option('--all', 'include deactivated users')
    .option('--format <format>', 'table | json', oneOf('--format', ['table', 'json']), 'table')
    .action(async (opts: { all?: boolean; format: string }) => {
      const rows = await listUsers(await session.ctx(), { includeInactive: Boolean(opts.all) });
      if (opts.format === 'json') io.stdout.write(jsonText(rows));
      else io.stdout.write(rows.length ? formatTable(USER_COLUMNS, rows.map((u) => ({ ...u, agency: u.agency ?? '', active: u.active ? 'yes' : 'no', last_login_at: u.last_login_at ?? '', locked_until: u.locked_until ?? '' }))) : 'no users\n');
    });
  users
    .command('set-role')
    .argument('<email>')
    .argument('<role>', ROLES.join(' | '))
    .option('--agency <name>', 'for the agency role: the agency (created if new)')
    .action(async (email: string, role: string, opts: { agency?: string }) => {
      const u = await updateUser(await session.ctx(), { email }, { role, agency: opts.agency });
      io.stdout.write(`${u.email} is now ${u.role}${u.agency ? ` of ${u.agency}` : ''}; their sessions were ended\n`);
    });
  users
    .command('deactivate')
    .argument('<email>')
    .action(async (email: string) => {
      const u = await updateUser(await session.ctx(), { email }, { active: false });
      io.stdout.write(`${u.email} deactivated; their sessions were ended\n`);
    });
  users
    .command('activate')
    .argument('<email>')
    .action(async (email: string) => {
      const u = await updateUser(await session.ctx(), { email }, { active: true });
      io.stdout.write(`${u.email} activated\n`);
    });
  users
    .command('reset-password')
    .description('Generate a new password (printed once), or with --send-link email the user a reset link')
    .argument('<email>')
    .option('--send-link', 'email a reset link through the configured email provider instead')
    .action(async (email: string, opts: { sendLink?: boolean }) => {
      const ctx = await session.ctx();
      if (opts.sendLink) {
        const { row } = await findUser(ctx, { email });
        if (!row.active) throw new AppError('conflict', t(`${row.email} is deactivated; activate it first`, `${row.email} está desactivado; actívelo primero`));
        // The company's email provider, as messaging finds it: its saved SMTP settings, else the environment's.
        const secretsKey = resolveSecretsKey(session.config, (message) => io.stderr.write(`warning: ${message}\n`));
        let sandbox = false; // set when the sandbox took the email (resetMailer prints through this callback then)
        const mailer = resetMailer(companyProvidersFromConfig(session.config, session.clock, secretsKey), () => (sandbox = true));
        const publicUrl = session.config.providers.publicUrl ?? `http://localhost:${session.config.port}`;
        await requestPasswordReset({ database: ctx.database, clock: ctx.clock, settings: session.config.auth, mailer, publicUrl }, { email: row.email });
        io.stdout.write(`reset link sent to ${row.email}${sandbox ? ' (sandbox email provider: nothing leaves this machine)' : ''}\n`);
        return;
      }
      const r = await setUserPassword(ctx, { email });
      io.stdout.write(`new password for ${r.email} (shown once; their sessions were ended):\n${r.generatedPassword}\n`);
    });

  const audit = program.command('audit').description('The audit log: who changed what, when, before and after');
  audit
    .command('list')
    .option('--from <date>', 'entries at or after (YYYY-MM-DD or ISO instant)')
    .option('--to <date>', 'entries before')
    .option('--actor <actor>')
    .option('--action <action>', 'exact, or a prefix ending in "." such as "user."')
    .option('--entity <entity>')
    .option('--entity-id <id>')
    .option('--limit <n>', 'at most this many (newest first)', parseIntOption('--limit'), 50)
    .option('--format <format>', 'table | json', oneOf('--format', ['table', 'json']), 'table')
    .action(async (opts: { from?: string; to?: string; actor?: string; action?: string; entity?: string; entityId?: string; limit: number; format: string }) => {
      const page = await listAudit(await session.ctx(), {
        from: instantOption('--from', opts.from),
        to: instantOption('--to', opts.to),
        actor: opts.actor,
        action: opts.action,
        entity: opts.entity,
        entityId: opts.entityId,
        limit: opts.limit,
      });
      if (opts.format === 'json') {
        io.stdout.write(jsonText(page.rows));
        return;
      }
      const cols = ['at', 'actor', 'action', 'entity', 'entity_id', 'change'].map((k) => ({ key: k, header: k }));
      const rows = page.rows.map((e) => ({ at: e.at, actor: e.actor, action: e.action, entity: e.entity, entity_id: e.entity_id ?? '', change: summarize(e.before, e.after) }));
      io.stdout.write(rows.length ? formatTable(cols, rows) : 'no audit entries\n');
    });
}

function instantOption(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', t(`${flag} "${value}" is not a date (YYYY-MM-DD) or an ISO instant`, `${flag} "${value}" no es una fecha (AAAA-MM-DD) ni un instante ISO`));
  return at;
}

/** The fields that differ, as `field: before → after`, cut to a table cell. */
function summarize(before: unknown, after: unknown): string {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  const text = keys.map((k) => `${k}: ${k in b ? JSON.stringify(b[k]) : '∅'} → ${k in a ? JSON.stringify(a[k]) : '∅'}`).join('; ');
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
