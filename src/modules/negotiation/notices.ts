/**
 * What the debtor is told when a negotiation reaches them: the written agreement when a plan or settlement becomes
 * active (template `agreement_sent`, with the agreement's PDF generated at sending: attached to the email, sent as a
 * WhatsApp document where the Cloud API allows it — see messaging/attachments.ts — and linked from SMS), and the
 * outcome of a dispute (`dispute_rejected`: collection resumes, with the resolution; `dispute_upheld`: the adjusted
 * amount). Each is one notice per plan or dispute (idempotency keys `agreement:<planId>`, `dispute_rejected:<id>`,
 * `dispute_upheld:<id>`), queued in the transaction of the change it announces and sent through the outbox and the
 * compliance gate (see messaging/notices.ts).
 */
import { and, asc, eq } from 'drizzle-orm';
import { debtors, obligations } from '../../db/schema.ts';
import { disputes, paymentPlanInstallments, paymentPlanObligations, paymentPlans } from '../../db/tables/negotiation.ts';
import type { PlainDate } from '../../domain/calendar.ts';
import { formatDecimal } from '../../domain/money.ts';
import { enqueueNotice, noticeLanguage, type NoticeChannel } from '../messaging/notices.ts';
import type { Ctx } from '../shared/context.ts';
import { companyFacts, inTx, todayOf, type Tx } from './shared.ts';

/** Documents named in a notice before the rest are counted ("A-1, A-2, A-3 y 4 más"). */
const MAX_DOCUMENTS = 5;
/** Longest resolution quoted in a text message; the full text stays on the dispute and in the portal. */
const SMS_RESOLUTION_CHARS = 120;
const RESOLUTION_CHARS = 600;

async function debtorNames(ctx: Ctx, debtorId: number): Promise<{ name: string; first_name: string }> {
  const [d] = await ctx.database.db.select({ name: debtors.name, type: debtors.type }).from(debtors).where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.id, debtorId)));
  const name = d?.name ?? '';
  return { name, first_name: d?.type === 'person' ? (name.trim().split(/\s+/)[0] ?? name) : name };
}

function money(amount: bigint, currency: string): Record<string, string> {
  const code = currency.trim();
  return { [code]: formatDecimal(amount, code) };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** Queues the written agreement of a plan that has just become active. Call it inside the activation's transaction. */
export async function enqueueAgreementNotice(ctx: Ctx, tx: Tx, planId: number, today: PlainDate): Promise<void> {
  const c = inTx(ctx, tx);
  const [plan] = await tx.select().from(paymentPlans).where(and(eq(paymentPlans.companyId, ctx.companyId), eq(paymentPlans.id, planId)));
  if (!plan) return;
  const documents = await tx
    .select({ externalId: obligations.externalId })
    .from(paymentPlanObligations)
    .innerJoin(obligations, eq(obligations.id, paymentPlanObligations.obligationId))
    .where(eq(paymentPlanObligations.planId, plan.id))
    .orderBy(asc(obligations.dueOn), asc(obligations.id));
  const [first] = await tx.select({ dueOn: paymentPlanInstallments.dueOn }).from(paymentPlanInstallments).where(eq(paymentPlanInstallments.planId, plan.id)).orderBy(asc(paymentPlanInstallments.seq)).limit(1);
  const language = plan.language === 'en' ? 'en' : 'es-MX';
  const names = documents.slice(0, MAX_DOCUMENTS).map((d) => d.externalId);
  const rest = documents.length - names.length;
  const contract = rest > 0 ? `${names.join(', ')} ${language === 'en' ? `and ${rest} more` : `y ${rest} más`}` : names.join(', ');
  const variables = {
    debtor: await debtorNames(c, plan.debtorId),
    amount: { total: money(plan.total, plan.currency) },
    ...(first ? { due_date: first.dueOn } : {}),
    ...(contract ? { contract } : {}),
    attachments: [{ kind: 'agreement_pdf', planId: plan.id }],
  };
  await enqueueNotice(c, {
    debtorId: plan.debtorId,
    portfolioId: plan.portfolioId,
    templateKey: 'agreement_sent',
    language,
    idempotencyKey: `agreement:${plan.id}`,
    about: `agreement:${plan.id}`,
    causeDate: today,
    variables: () => variables,
  });
}

/** Queues the answer to a dispute just resolved. Call it inside the resolution's transaction. */
export async function enqueueDisputeNotice(ctx: Ctx, tx: Tx, disputeId: number): Promise<void> {
  const c = inTx(ctx, tx);
  const [row] = await tx
    .select({ dispute: disputes, externalId: obligations.externalId, currency: obligations.currency, portfolioId: obligations.portfolioId })
    .from(disputes)
    .innerJoin(obligations, eq(obligations.id, disputes.obligationId))
    .where(and(eq(disputes.companyId, ctx.companyId), eq(disputes.id, disputeId)));
  if (!row || (row.dispute.status !== 'upheld' && row.dispute.status !== 'rejected')) return;
  const { dispute } = row;
  const key = `dispute_${dispute.status}`;
  const resolution = (dispute.resolution ?? '').trim();
  const company = await companyFacts(c);
  const base = {
    debtor: await debtorNames(c, dispute.debtorId),
    contract: row.externalId,
    ...(dispute.status === 'upheld' ? { amount: { total: money(dispute.adjustedAmount ?? 0n, row.currency) } } : {}),
  };
  await enqueueNotice(c, {
    debtorId: dispute.debtorId,
    portfolioId: row.portfolioId,
    templateKey: key,
    language: noticeLanguage(company.locale),
    idempotencyKey: `${key}:${dispute.id}`,
    about: `${key}:${dispute.id}`,
    causeDate: todayOf(c, company),
    variables: (channel: NoticeChannel) => ({ ...base, ...(resolution ? { resolution: clip(resolution, channel === 'sms' ? SMS_RESOLUTION_CHARS : RESOLUTION_CHARS) } : {}) }),
  });
}
