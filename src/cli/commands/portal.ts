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
import type { CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';

/** The portal's runtime from the configuration: links are absolute under COBRANZA_PUBLIC_URL, else this server's port. */
export function portalRuntimeFromConfig(config: Config): PortalRuntime {
  return { secret: config.portalSecret, publicUrl: config.providers.publicUrl ?? `http://localhost:${config.port}` };
}

export function registerPortalCommands(program: Command, io: CliIO, session: Session): void {
  const portal = program.command('portal').description("The debtor portal: links, revocation, the identity check's lock");
  portal
    .command('link')
    .description("Issue a signed, expiring link to a debtor's portal")
    .argument('<debtor>', "the debtor's external id")
    .option('--days <n>', 'days the link works (default: the portal settings, 30)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 365) throw new Error('--days must be a whole number from 1 to 365');
      return n;
    })
    .option('--json', 'print JSON')
    .action(async (debtor: string, opts: { days?: number; json?: boolean }) => {
      configurePortal(portalRuntimeFromConfig(session.config));
      const link = await issuePortalLink(await session.ctx('cli:portal'), { debtorExternalId: debtor, ttlDays: opts.days });
      if (opts.json) {
        io.stdout.write(jsonText({ id: link.id, debtor: link.debtorExternalId, url: link.url, expires_at: link.expiresAt }));
        return;
      }
      io.stdout.write(`${link.url}\n  válido hasta / valid until ${link.expiresAt.toISOString()}\n`);
    });
  portal
    .command('revoke')
    .description('Revoke every live portal link of a debtor')
    .argument('<debtor>', "the debtor's external id")
    .action(async (debtor: string) => {
      const { revoked } = await revokePortalLinks(await session.ctx('cli:portal'), { debtorExternalId: debtor });
      io.stdout.write(`${revoked} link(s) revoked for ${debtor}\n`);
    });
  portal
    .command('unlock')
    .description("Unlock a debtor's portal identity check (after confirming who they are)")
    .argument('<debtor>', "the debtor's external id")
    .action(async (debtor: string) => {
      const ctx = await session.ctx('cli:portal');
      const [d] = await ctx.database.query<{ id: string }>(sql`SELECT id::text FROM debtors WHERE company_id = ${ctx.companyId} AND external_id = ${debtor}`);
      if (!d) throw notFound('debtor', debtor);
      await unlockIdentityCheck(ctx, Number(d.id));
      io.stdout.write(`identity check unlocked for ${debtor}\n`);
    });
}
