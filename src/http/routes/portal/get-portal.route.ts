import { getPortalAccount, hasSession, identityState } from '../../../modules/portal/index.ts';
import type { App, RouteDeps } from '../../app.ts';
import { errorResponses } from '../../schemas.ts';
import { accessOf, dec, PORTAL_ROUTE, PortalViewSchema, sessionOf, TokenParams } from './shared.ts';

/**
 * GET /portal/api/:token — what the portal page shows: always the creditor, the debtor's first name and the identity
 * check to pass; with a passed check, the account (obligations, totals, promises, plans, disputes, contact, channels).
 * Nothing about the debt is shown before the check: a forwarded link must not tell a third party someone owes.
 */
export function getPortalRoute(app: App, deps: RouteDeps): void {
  app.get(
    '/portal/api/:token',
    { config: PORTAL_ROUTE, schema: { tags: ['portal'], summary: 'The debtor portal: landing and, once verified, the account', params: TokenParams, response: { 200: PortalViewSchema, ...errorResponses } } },
    async (request) => {
      const access = await accessOf(request, deps);
      const verified = await hasSession(access, sessionOf(request));
      const identity = await identityState(access);
      const landing = {
        creditor: access.company.name,
        debtor_first_name: access.debtor.name.split(/\s+/)[0] ?? access.debtor.name,
        link_expires_at: access.link.expiresAt.toISOString(),
        today: access.today,
        identity: {
          method: identity.method,
          available: identity.available,
          verified,
          locked_until: identity.lockedUntil?.toISOString() ?? null,
          attempts_left: identity.attemptsLeft,
        },
      };
      if (!verified) return { ...landing, account: null };
      const a = await getPortalAccount(access);
      return {
        ...landing,
        account: {
          obligations: a.obligations.map((o) => ({
            id: o.id,
            external_id: o.externalId,
            kind: o.kind,
            product: o.product,
            currency: o.currency,
            amount: dec(o.amount, o.currency),
            balance: dec(o.balance, o.currency),
            due_on: o.dueOn,
            days_late: o.daysLate,
            disputed: o.disputed,
            in_plan: o.inPlan,
          })),
          totals: a.totals.map((t) => ({ currency: t.currency, balance: dec(t.balance, t.currency), overdue: dec(t.overdue, t.currency) })),
          promises: a.promises.map((p) => ({ id: p.id, currency: p.currency, amount: dec(p.amount, p.currency), promised_on: p.promisedOn, status: p.status })),
          plans: a.plans.map((p) => ({
            id: p.id,
            kind: p.kind,
            currency: p.currency,
            total: dec(p.total, p.currency),
            status: p.status,
            installments: p.installments.map((i) => ({ seq: i.seq, due_on: i.dueOn, amount: dec(i.amount, p.currency), status: i.status })),
          })),
          disputes: a.disputes.map((x) => ({ id: x.id, obligation_id: x.obligationId, status: x.status, reason: x.reason, opened_on: x.openedOn, debtor_notice: x.debtorNotice })),
          paid_in_full: a.paidInFull,
          contact: a.contact,
          channels: a.channels.map((c) => ({ channel: c.channel, status: c.status, opted_out: c.optedOut })),
        },
      };
    },
  );
}
