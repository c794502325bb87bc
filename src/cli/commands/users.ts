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
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { headedColumns, oneOf, parseIntOption } from './shared.ts';
import { t } from '../../domain/text.ts';

/** The users table's columns, with their Spanish headers. */
const USER_COLUMNS = { email: 'correo', name: 'nombre', role: 'rol', agency: 'despacho', active: 'activo', last_login_at: 'último acceso', locked_until: 'bloqueado hasta' };

export function registerUserCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const email = l("the user's email", 'el correo del usuario');
  const agency = l('for the agency role: the agency (created if new)', 'para el rol agency: el despacho (se crea si es nuevo)');
  const users = program.command('users').description(l('Users who sign in to the web app, and their roles', 'Los usuarios que entran a la aplicación web, y sus roles'));
  users
    .command('add')
    .description(l('Add a user with a generated password (printed once)', 'Agregar un usuario con una contraseña generada (se imprime una sola vez)'))
    .argument('<email>', email)
    .requiredOption('--name <name>', l("the user's name", 'el nombre del usuario'))
    .requiredOption('--role <role>', ROLES.join(' | '), oneOf('--role', ROLES))
    .option('--agency <name>', agency)
    .action(async (email: string, opts: { name: string; role: string; agency?: string }) => {
      const r = await createUser(await session.ctx(), { email, name: opts.name, role: opts.role, agency: opts.agency });
      io.stdout.write(
        l(
          `user ${r.user.email} (${r.user.role}) added; password (shown once, store it now):\n${r.generatedPassword}\n`,
          `usuario ${r.user.email} (${r.user.role}) agregado; contraseña (se muestra una sola vez, guárdela ahora):\n${r.generatedPassword}\n`,
        ),
      );
    });
  users
    .command('list')
    .description(l('The users, their roles and their last sign-in', 'Los usuarios, sus roles y su último acceso'))
    .option('--all', l('include deactivated users', 'incluir a los usuarios desactivados'))
    .option('--format <format>', 'table | json', oneOf('--format', ['table', 'json']), 'table')
    .action(async (opts: { all?: boolean; format: string }) => {
      const rows = await listUsers(await session.ctx(), { includeInactive: Boolean(opts.all) });
      if (opts.format === 'json') io.stdout.write(jsonText(rows));
      else io.stdout.write(rows.length ? formatTable(headedColumns(io, USER_COLUMNS), rows.map((u) => ({ ...u, agency: u.agency ?? '', active: u.active ? l('yes', 'sí') : 'no', last_login_at: u.last_login_at ?? '', locked_until: u.locked_until ?? '' }))) : l('no users\n', 'no hay usuarios\n'));
    });
  users
    .command('set-role')
    .description(l("Change a user's role (their sessions end)", 'Cambiar el rol de un usuario (sus sesiones terminan)'))
    .argument('<email>', email)
    .argument('<role>', ROLES.join(' | '))
    .option('--agency <name>', agency)
    .action(async (email: string, role: string, opts: { agency?: string }) => {
      const u = await updateUser(await session.ctx(), { email }, { role, agency: opts.agency });
      io.stdout.write(l(`${u.email} is now ${u.role}${u.agency ? ` of ${u.agency}` : ''}; their sessions were ended\n`, `${u.email} ahora es ${u.role}${u.agency ? ` de ${u.agency}` : ''}; sus sesiones se cerraron\n`));
    });
  users
    .command('deactivate')
    .description(l('Deactivate a user: they can no longer sign in (their sessions end)', 'Desactivar un usuario: ya no puede entrar (sus sesiones terminan)'))
    .argument('<email>', email)
    .action(async (email: string) => {
      const u = await updateUser(await session.ctx(), { email }, { active: false });
      io.stdout.write(l(`${u.email} deactivated; their sessions were ended\n`, `${u.email} desactivado; sus sesiones se cerraron\n`));
    });
  users
    .command('activate')
    .description(l('Activate a deactivated user', 'Activar un usuario desactivado'))
    .argument('<email>', email)
    .action(async (email: string) => {
      const u = await updateUser(await session.ctx(), { email }, { active: true });
      io.stdout.write(l(`${u.email} activated\n`, `${u.email} activado\n`));
    });
  users
    .command('reset-password')
    .description(l('Generate a new password (printed once), or with --send-link email the user a reset link', 'Generar una contraseña nueva (se imprime una sola vez), o con --send-link enviar al usuario un enlace para restablecerla'))
    .argument('<email>', email)
    .option('--send-link', l('email a reset link through the configured email provider instead', 'enviar en su lugar un enlace de restablecimiento por el proveedor de correo configurado'))
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
        io.stdout.write(
          l(
            `reset link sent to ${row.email}${sandbox ? ' (sandbox email provider: nothing leaves this machine)' : ''}\n`,
            `enlace de restablecimiento enviado a ${row.email}${sandbox ? ' (proveedor de correo de prueba: nada sale de esta máquina)' : ''}\n`,
          ),
        );
        return;
      }
      const r = await setUserPassword(ctx, { email });
      io.stdout.write(l(`new password for ${r.email} (shown once; their sessions were ended):\n${r.generatedPassword}\n`, `contraseña nueva de ${r.email} (se muestra una sola vez; sus sesiones se cerraron):\n${r.generatedPassword}\n`));
    });

  const audit = program.command('audit').description(l('The audit log: who changed what, when, before and after', 'La bitácora de auditoría: quién cambió qué, cuándo, antes y después'));
  audit
    .command('list')
    .description(l('Audit entries, newest first', 'Entradas de la bitácora, las más recientes primero'))
    .option('--from <date>', l('entries at or after (YYYY-MM-DD or ISO instant)', 'entradas desde (AAAA-MM-DD o instante ISO)'))
    .option('--to <date>', l('entries before', 'entradas antes de'))
    .option('--actor <actor>', l('only what this user or key did', 'solo lo que hizo este usuario o clave'))
    .option('--action <action>', l('exact, or a prefix ending in "." such as "user."', 'exacta, o un prefijo que termine en "." como "user."'))
    .option('--entity <entity>', l('only entries about this kind of record (debtor, user, …)', 'solo entradas sobre este tipo de registro (debtor, user, …)'))
    .option('--entity-id <id>', l('only entries about this record', 'solo entradas sobre este registro'))
    .option('--limit <n>', l('at most this many (newest first)', 'como máximo estas (las más recientes primero)'), parseIntOption('--limit'), 50)
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
      const cols = headedColumns(io, { at: 'fecha', actor: 'actor', action: 'acción', entity: 'entidad', entity_id: 'id', change: 'cambio' });
      const rows = page.rows.map((e) => ({ at: e.at, actor: e.actor, action: e.action, entity: e.entity, entity_id: e.entity_id ?? '', change: summarize(e.before, e.after) }));
      io.stdout.write(rows.length ? formatTable(cols, rows) : l('no audit entries\n', 'no hay entradas en la bitácora\n'));
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
