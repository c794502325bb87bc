import { sql } from 'drizzle-orm';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { ErrorSchema, errorResponses } from '../../schemas.ts';
import { MoneyError, parseCurrency, parseDecimal } from '../../../domain/money.ts';
import { createPaymentLink, type PaymentTarget } from '../../../modules/payments/index.ts';
import type { Ctx } from '../../../modules/shared/context.ts';
import { AppError, notFound } from '../../../modules/shared/errors.ts';
import { CreatePaymentLinkBody, linkJson, PaymentLinkSchema } from './schemas.ts';
import { t } from '../../../domain/text.ts';

async function idOf(ctx: Ctx, table: 'debtors' | 'obligations', externalId: string): Promise<number> {
  const rows = await ctx.database.query<{ id: string }>(sql`SELECT id::text AS id FROM ${sql.identifier(table)} WHERE company_id = ${ctx.companyId} AND external_id = ${externalId}`);
  if (!rows[0]) throw notFound(table === 'debtors' ? 'debtor' : 'obligation', externalId);
  return Number(rows[0].id);
}

/** POST /payment-links — a payment link for a debtor, an obligation, an installment or a settlement; the same idempotency key returns the same link. */
export function createPaymentLinkRoute(app: App): void {
  app.post(
    '/payment-links',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags: ['payments'],
        summary: 'Create a payment link (or get the one created with the same idempotency key)',
        body: CreatePaymentLinkBody,
        response: { 200: PaymentLinkSchema, 201: PaymentLinkSchema, ...errorResponses, 409: ErrorSchema, 502: ErrorSchema },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const body = request.body;
      const debtorId = await idOf(ctx, 'debtors', body.debtor_external_id);
      let target: PaymentTarget;
      if (body.target.kind === 'debtor') target = { kind: 'debtor' };
      else if (body.target.kind === 'obligation') {
        if (!body.target.obligation_external_id) throw new AppError('validation_failed', t('an obligation link needs target.obligation_external_id', 'un enlace de documento necesita target.obligation_external_id'), [{ path: 'body.target.obligation_external_id', reason: t('required for kind obligation', 'obligatorio para kind obligation') }]);
        target = { kind: 'obligation', id: await idOf(ctx, 'obligations', body.target.obligation_external_id) };
      } else {
        if (body.target.id === undefined) throw new AppError('validation_failed', t(`a ${body.target.kind} link needs target.id`, `un enlace ${body.target.kind} necesita target.id`), [{ path: 'body.target.id', reason: t(`required for kind ${body.target.kind}`, `obligatorio para kind ${body.target.kind}`) }]);
        target = { kind: body.target.kind, id: body.target.id };
      }
      let amount: bigint | undefined;
      try {
        amount = body.amount === undefined ? undefined : parseDecimal(body.amount, parseCurrency(body.currency));
      } catch (error) {
        if (!(error instanceof MoneyError)) throw error;
        throw new AppError('validation_failed', error.text, [{ path: 'body.amount', reason: error.text }]);
      }
      const link = await createPaymentLink(ctx, { debtorId, target, amount, currency: body.currency, provider: body.provider, idempotencyKey: body.idempotency_key, description: body.description });
      return reply.code(link.created ? 201 : 200).send(linkJson(link));
    },
  );
}
