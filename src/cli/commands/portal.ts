/**
 * `cobranza portal link DEBTOR [--days N]`: a signed, expiring link to the debtor's portal, for a collector to send or
 * read out. `portal revoke DEBTOR` stops every live link of the debtor; `portal unlock DEBTOR` ends the lock of the
 * identity check once a collector has confirmed who the debtor is.
 */
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { configurePortal, issuePortalLink, revokePortalLinks, unlockIdentityCheck, type PortalRuntime } from '../../modules/portal/index.ts';
import { notFound } from '../../modules/shared/errors.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';

/** The portal's runtime from the configuration: links are absolute under COBRANZA_PUBLIC_URL, else this server's port. */
export function portalRuntimeFromConfig(config: Config): PortalRuntime {
  return { secret: config.portalSecret, publicUrl: config.providers.publicUrl ?? `http://localhost:${config.port}` };
}

export function registerPortalCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const debtorId = l("the debtor's external id", 'el id externo del deudor');
  const portal = program.command('portal').description(l("The debtor portal: links, revocation, the identity check's lock", 'El portal del deudor: enlaces, revocación, bloqueo de la verificación de identidad'));
  portal
    .command('link')
    .description(l("Issue a signed, expiring link to a debtor's portal", 'Emitir un enlace firmado y con vencimiento al portal de un deudor'))
    .argument('<debtor>', debtorId)
    .option('--days <n>', l('days the link works (default: the portal settings, 30)', 'días que funciona el enlace (predeterminado: la configuración del portal, 30)'), (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 365) throw new Error('--days must be a whole number from 1 to 365');
      return n;
    })
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (debtor: string, opts: { days?: number; json?: boolean }) => {
      configurePortal(portalRuntimeFromConfig(session.config));
      const link = await issuePortalLink(await session.ctx('cli:portal'), { debtorExternalId: debtor, ttlDays: opts.days });
      if (opts.json) {
        io.stdout.write(jsonText({ id: link.id, debtor: link.debtorExternalId, url: link.url, expires_at: link.expiresAt }));
        return;
      }
      io.stdout.write(`${link.url}\n  ${l('valid until', 'válido hasta')} ${link.expiresAt.toISOString()}\n`);
    });
  portal
    .command('revoke')
    .description(l('Revoke every live portal link of a debtor', 'Revocar todos los enlaces vigentes al portal de un deudor'))
    .argument('<debtor>', debtorId)
    .action(async (debtor: string) => {
      const { revoked } = await revokePortalLinks(await session.ctx('cli:portal'), { debtorExternalId: debtor });
      io.stdout.write(l(`${revoked} link(s) revoked for ${debtor}\n`, `${revoked} ${revoked === 1 ? 'enlace revocado' : 'enlaces revocados'} de ${debtor}\n`));
    });
  portal
    .command('unlock')
    .description(l("Unlock a debtor's portal identity check (after confirming who they are)", 'Desbloquear la verificación de identidad del portal de un deudor (tras confirmar quién es)'))
    .argument('<debtor>', debtorId)
    .action(async (debtor: string) => {
      const ctx = await session.ctx('cli:portal');
      const [d] = await ctx.database.query<{ id: string }>(sql`SELECT id::text FROM debtors WHERE company_id = ${ctx.companyId} AND external_id = ${debtor}`);
      if (!d) throw notFound('debtor', debtor);
      await unlockIdentityCheck(ctx, Number(d.id));
      io.stdout.write(l(`identity check unlocked for ${debtor}\n`, `verificación de identidad desbloqueada para ${debtor}\n`));
    });
}
