/** A debtor's negotiation state in one read: the policy scope, promises, plans, disputes and open negotiation tasks. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { tasks } from '../../db/schema.ts';
import type { PolicyScope } from '../../domain/negotiation/index.ts';
import type { Ctx } from '../shared/context.ts';
import { loadAccountFacts } from './account-facts.ts';
import { listPlans } from './plans.ts';
import { listPromises } from './promises.ts';
import { debtorById, dec } from './shared.ts';
import { disputeViews, type DisputeView, type PlanView, type PromiseView } from './views.ts';

export interface NegotiationState {
  debtorId: number;
  externalId: string;
  scope: PolicyScope;
  /** Open, undisputed balance per currency (decimal strings). */
  balances: Record<string, string>;
  promises: PromiseView[];
  plans: PlanView[];
  disputes: DisputeView[];
  /** Open tasks this module created: plan_approval, promise_broken, plan_broken, dispute, hardship. */
  tasks: Array<{ id: number; kind: string; dueOn: string; note: string | null }>;
}

export async function getNegotiationState(ctx: Ctx, input: { debtorId: number }): Promise<NegotiationState> {
  const debtor = await debtorById(ctx, input.debtorId);
  const all = await loadAccountFacts(ctx, { debtorId: input.debtorId });
  const balances: Record<string, string> = {};
  const rows = await ctx.database.query<{ currency: string; total: string }>(
    sql`
      SELECT o.currency::text AS currency, sum(o.balance)::text AS total FROM obligations o
       WHERE o.company_id = ${ctx.companyId} AND o.debtor_id = ${input.debtorId} AND o.balance > 0
         AND NOT EXISTS (SELECT 1 FROM disputes x WHERE x.obligation_id = o.id AND x.status = 'open')
       GROUP BY o.currency ORDER BY o.currency`,
  );
  for (const r of rows) balances[r.currency.trim()] = dec(BigInt(r.total), r.currency.trim());
  const open = await ctx.database.db
    .select({ id: tasks.id, kind: tasks.kind, dueOn: tasks.dueOn, note: tasks.note })
    .from(tasks)
    .where(and(eq(tasks.companyId, ctx.companyId), eq(tasks.debtorId, input.debtorId), eq(tasks.status, 'open'), inArray(tasks.kind, ['plan_approval', 'promise_broken', 'plan_broken', 'dispute', 'hardship'])))
    .orderBy(desc(tasks.id));
  return {
    debtorId: debtor.id,
    externalId: debtor.externalId,
    scope: all.scope,
    balances,
    promises: await listPromises(ctx, input),
    plans: await listPlans(ctx, input),
    disputes: await disputeViews(ctx, { debtorId: input.debtorId }),
    tasks: open,
  };
}
