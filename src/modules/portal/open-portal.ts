/**
 * From a token in an address to the debtor it opens: the signature is checked with the company's key, then expiry
 * and revocation against the link's row. Every failure is a 401 whose detail says which (`invalid`, `expired`,
 * `revoked`), so the page can tell the debtor what happened without revealing anything.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { companies, debtors } from '../../db/schema.ts';
import { portalLinks } from '../../db/tables/portal.ts';
import { dateInZone, type PlainDate } from '../../domain/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, t } from '../shared/errors.ts';
import { signingSecret } from './settings.ts';
import { peekPortalToken, verifyPortalToken } from './token.ts';

/** Why a link does not open. */
export type LinkProblem = 'invalid' | 'expired' | 'revoked';

/** An opened link: the company's ctx (acting as the portal), the link and its debtor. */
export interface PortalAccess {
  ctx: Ctx;
  link: { id: number; expiresAt: Date };
  debtor: {
    id: number;
    externalId: string;
    name: string;
    taxId: string | null;
    email: string | null;
    phone: string | null;
    whatsapp: string | null;
    attributes: Record<string, string>;
  };
  company: { id: number; name: string; timeZone: string; locale: string; defaultCurrency: string };
  today: PlainDate;
}

function refuse(problem: LinkProblem): AppError {
  const message = {
    invalid: t('this portal link is not valid; ask the creditor for a new one', 'este enlace del portal no es válido; pida uno nuevo al acreedor'),
    expired: t('this portal link has expired; ask the creditor for a new one', 'este enlace del portal venció; pida uno nuevo al acreedor'),
    revoked: t('this portal link was cancelled; ask the creditor for a new one', 'este enlace del portal se canceló; pida uno nuevo al acreedor'),
  }[problem];
  return new AppError('unauthorized', message, [{ path: 'token', reason: problem }]);
}

/** Opens a link or throws AppError unauthorized with detail reason invalid / expired / revoked. */
export async function openPortal(deps: { database: Database; clock: Clock }, token: string): Promise<PortalAccess> {
  const claims = peekPortalToken(token);
  if (!claims) throw refuse('invalid');
  const [company] = await deps.database.db.select().from(companies).where(eq(companies.id, claims.companyId));
  if (!company) throw refuse('invalid');
  if (!verifyPortalToken(await signingSecret(deps.database, company.id), token)) throw refuse('invalid');
  const [row] = await deps.database.db
    .select({ link: portalLinks, debtor: debtors })
    .from(portalLinks)
    .innerJoin(debtors, eq(debtors.id, portalLinks.debtorId))
    .where(and(eq(portalLinks.id, claims.linkId), eq(portalLinks.companyId, company.id), eq(portalLinks.debtorId, claims.debtorId)));
  if (!row) throw refuse('invalid');
  const now = deps.clock.now();
  if (row.link.revokedAt) throw refuse('revoked');
  if (row.link.expiresAt.getTime() <= now.getTime()) throw refuse('expired');
  const d = row.debtor;
  return {
    ctx: { database: deps.database, clock: deps.clock, companyId: company.id, actor: `portal:${d.externalId}` },
    link: { id: row.link.id, expiresAt: row.link.expiresAt },
    debtor: { id: d.id, externalId: d.externalId, name: d.name, taxId: d.taxId, email: d.email, phone: d.phone, whatsapp: d.whatsapp, attributes: d.attributes },
    company: { id: company.id, name: company.name, timeZone: company.timeZone, locale: company.locale, defaultCurrency: company.defaultCurrency },
    today: dateInZone(now, company.timeZone),
  };
}
