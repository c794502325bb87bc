/** Plans that complete: a settlement's discount settles the account; a plan's interest becomes its own obligation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { holds, obligations } from '../../src/db/schema.ts';
import { createPlan, evaluateCommitments, getPlan, setPolicy } from '../../src/modules/negotiation/index.ts';
import { createWorld, type World } from '../strategies/helpers.ts';

let w: World;

beforeAll(async () => {
  w = await createWorld('CL', '2026-03-10T15:00:00Z');
});

afterAll(async () => {
  await w?.close();
});

describe('completing plans', () => {
  it('a settlement with a discount, once paid, reduces the covered obligations so nothing is owed (CLP)', async () => {
    const id = await w.debtor('S', { country: 'CL', timeZone: 'America/Santiago' });
    await w.obligation(id, 'S-1', '2025-12-01', 300_000n, 'CLP');
    await w.obligation(id, 'S-2', '2026-01-01', 200_000n, 'CLP');
    // 100 days late on the oldest: the default policy allows 25 % off.
    const plan = await createPlan(w.ctx, { debtorId: id, currency: 'CLP', channel: 'phone', takenBy: 'collector', offer: { kind: 'settlement', discount: '125000', payOn: '2026-03-12' } });
    expect(plan).toMatchObject({ kind: 'settlement', status: 'active', covered: '500000', discount: '125000', total: '375000' });
    await w.pay(id, 'PAY-S', '2026-03-12', 375_000n, 'CLP');
    const summary = await evaluateCommitments(w.ctx, { asOf: '2026-03-12' });
    expect(summary.plans.completed).toBe(1);
    expect(await getPlan(w.ctx, { planId: plan.id })).toMatchObject({ status: 'completed', resolvedOn: '2026-03-12', paid: '375000' });
    const obs = await w.database.db.select().from(obligations).where(eq(obligations.debtorId, id));
    expect(obs.map((o) => [o.externalId, o.amount, o.balance]).sort()).toEqual([
      ['S-1', 300_000n, 0n],
      ['S-2', 75_000n, 0n],
    ]);
    const [hold] = await w.database.db.select().from(holds).where(and(eq(holds.debtorId, id), eq(holds.reason, 'agreement')));
    expect(hold!.releasedAt).not.toBeNull();
    expect((await evaluateCommitments(w.ctx, { asOf: '2026-03-13' })).plans.completed).toBe(0);
  });

  it("a plan with interest adds the interest as an obligation due with the last installment", async () => {
    await setPolicy(w.ctx, { source: 'plans: { annual_interest_percent: 24 }' });
    const id = await w.debtor('I', { country: 'CL', timeZone: 'America/Santiago' });
    await w.obligation(id, 'I-1', '2026-02-01', 1_200_000n, 'CLP');
    const plan = await createPlan(w.ctx, { debtorId: id, currency: 'CLP', channel: 'portal', takenBy: 'debtor', offer: { kind: 'plan', downPayment: '120000', installments: 2, frequency: 'monthly', firstInstallmentOn: '2026-04-09' } });
    // 1,080,000 financed at 24 %: 30 days → 21,304.10…; then 540,000 for 30 days → 10,652.05…
    expect(plan.installments.map((i) => [i.seq, i.dueOn, i.amount, i.interest])).toEqual([
      [0, '2026-03-10', '120000', '0'],
      [1, '2026-04-09', '561304', '21304'],
      [2, '2026-05-09', '550652', '10652'],
    ]);
    expect(plan).toMatchObject({ interest: '31956', total: '1231956' });
    const [interest] = await w.database.db.select().from(obligations).where(eq(obligations.externalId, `PLAN-${plan.id}-INTERES`));
    expect(interest).toMatchObject({ amount: 31_956n, balance: 31_956n, dueOn: '2026-05-09', kind: 'other', product: 'plan_interest', currency: 'CLP' });
  });
});
