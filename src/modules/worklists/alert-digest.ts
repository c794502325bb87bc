/**
 * The daily alert digest by email: each active user who should act on alerts gets one message a day — supervisors and
 * admins every alert, collectors and agencies the alerts about their own accounts (an agency's only about the debtors
 * placed with it). A row per recipient and day,
 * claimed before sending, makes a rerun of the day send nothing twice.
 */
import { sql } from 'drizzle-orm';
import type { ChannelProvider, OutboundEmail } from '../messaging/ports.ts';
import type { Ctx } from '../shared/context.ts';
import { listAlerts, type Alert, type AlertOptions } from './alerts.ts';
import { companyFacts, companyToday } from './lookups.ts';

/** Roles that receive a digest, and whether they see every alert or only their own accounts'. */
export const DIGEST_ROLES = { admin: 'all', supervisor: 'all', collector: 'own', agency: 'own' } as const;

export interface DigestSummary {
  day: string;
  sent: number;
  skipped: number;
  failed: number;
}

/** Sends today's digests through the email provider; recipients with nothing to act on get no mail. */
export async function sendAlertDigests(ctx: Ctx, options: { email: ChannelProvider<OutboundEmail>; from: string; alertOptions?: AlertOptions; appUrl?: string }): Promise<DigestSummary> {
  const day = await companyToday(ctx);
  const company = await companyFacts(ctx);
  const users = await ctx.database.query<{ id: string | number; email: string; name: string; role: keyof typeof DIGEST_ROLES; agency_id: string | number | null }>(sql`
    SELECT id, email, name, role, agency_id FROM users
     WHERE company_id = ${ctx.companyId} AND active AND role IN ('admin', 'supervisor', 'collector', 'agency') ORDER BY id`);
  const summary: DigestSummary = { day, sent: 0, skipped: 0, failed: 0 };
  let everything: Alert[] | null = null;
  for (const u of users) {
    const scope = DIGEST_ROLES[u.role];
    // Judged as the recipient, so an agency's digest, like its app, holds only the debtors placed with it.
    const as: Ctx = { ...ctx, principal: { kind: 'user', id: Number(u.id), role: u.role, agencyId: u.agency_id === null ? null : Number(u.agency_id) } };
    const alerts = scope === 'all' ? (everything ??= await listAlerts(ctx, options.alertOptions)) : await listAlerts(as, { ...options.alertOptions, collectorId: Number(u.id) });
    if (alerts.length === 0) {
      summary.skipped++;
      continue;
    }
    // Claim the recipient's digest of the day; a second run finds the row and sends nothing.
    const claimed = await ctx.database.query<{ id: string | number }>(sql`
      INSERT INTO alert_digests (company_id, day, recipient, role, alerts)
      VALUES (${ctx.companyId}, ${day}::date, ${u.email}, ${u.role}, ${alerts.length})
      ON CONFLICT (company_id, day, recipient) DO NOTHING RETURNING id`);
    if (claimed.length === 0) {
      summary.skipped++;
      continue;
    }
    const id = Number(claimed[0]!.id);
    const message = renderDigest({ company: company.name, day, name: u.name, alerts, appUrl: options.appUrl });
    try {
      await options.email.send({ channel: 'email', idempotencyKey: `digest:${ctx.companyId}:${day}:${u.email}`, to: u.email, from: options.from, ...message });
      await ctx.database.query(sql`UPDATE alert_digests SET sent_at = ${ctx.clock.now().toISOString()}::timestamptz WHERE id = ${id}`);
      summary.sent++;
    } catch (error) {
      // Released so the next run of the day tries again.
      await ctx.database.query(sql`DELETE FROM alert_digests WHERE id = ${id}`);
      summary.failed++;
      void error;
    }
  }
  return summary;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The digest in Spanish, as text and HTML. */
export function renderDigest(input: { company: string; day: string; name: string; alerts: Alert[]; appUrl?: string | undefined }): { subject: string; text: string; html: string } {
  const total = input.alerts.reduce((n, a) => n + a.count, 0);
  const subject = `${input.company}: ${total} alertas de cobranza del ${input.day}`;
  const lines = [`Hola ${input.name},`, '', `Estas son las alertas de cobranza del ${input.day}:`, ''];
  const html = [`<p>Hola ${escape(input.name)},</p>`, `<p>Estas son las alertas de cobranza del ${escape(input.day)}:</p>`];
  for (const a of input.alerts) {
    const money = Object.entries(a.amounts).map(([cur, v]) => `${v} ${cur}`).join(', ');
    lines.push(`* ${a.title}: ${a.count}${money ? ` (${money})` : ''}`);
    html.push(`<h3>${escape(a.title)}: ${a.count}${money ? ` (${escape(money)})` : ''}</h3><ul>`);
    for (const i of a.items.slice(0, 10)) {
      lines.push(`  - ${i.debtor_external_id ? `${i.debtor_external_id}: ` : ''}${i.text}`);
      html.push(`<li>${i.debtor_external_id ? `${escape(i.debtor_external_id)}: ` : ''}${escape(i.text)}</li>`);
    }
    if (a.count > 10) {
      lines.push(`  … y ${a.count - 10} más`);
      html.push(`<li>… y ${a.count - 10} más</li>`);
    }
    html.push('</ul>');
  }
  if (input.appUrl) {
    lines.push('', `Véalas en ${input.appUrl}/app/alerts`);
    html.push(`<p><a href="${escape(input.appUrl)}/app/alerts">Ver alertas</a></p>`);
  }
  return { subject, text: lines.join('\n') + '\n', html: html.join('\n') };
}
