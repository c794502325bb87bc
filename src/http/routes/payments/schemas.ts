/** Wire shapes of payments: snake_case like the import columns, money as decimal strings beside the currency. */
import { z } from 'zod';
import { amountText } from '../../schemas.ts';

export const PaymentSchema = z
  .object({
    external_id: z.string(),
    debtor_external_id: z.string(),
    obligation_external_id: z.string().nullable(),
    currency: z.string(),
    amount: z.string().describe('decimal string in the currency'),
    unapplied: z.string().describe('left as credit on the debtor, decimal string'),
    paid_on: z.string(),
    method: z.string().nullable(),
    reference: z.string().nullable(),
    reversed: z.boolean(),
    reversed_at: z.string().nullable(),
    reversal_reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Payment' });

export const PaymentDetailSchema = PaymentSchema.extend({
  allocations: z.array(z.object({ obligation_external_id: z.string(), amount: z.string() })).describe('where the payment went, in its currency'),
}).meta({ id: 'PaymentDetail' });

const optionalText = (max: number) => z.string().max(max).nullable().optional();

/** Payment columns as saveRecords reads them. */
export const PAYMENT_COLUMNS = ['external_id', 'debtor_external_id', 'obligation_external_id', 'amount', 'currency', 'paid_on', 'method', 'reference'] as const;

export const CreatePaymentBody = z
  .strictObject({
    external_id: z.string().min(1).max(100),
    debtor_external_id: z.string().min(1).max(100),
    obligation_external_id: optionalText(100).describe('the obligation the payer named; allocation starts there'),
    amount: amountText().describe('decimal string, more than zero, e.g. "500.00"'),
    currency: z.string().max(5),
    paid_on: z.string().max(10).describe('YYYY-MM-DD'),
    method: optionalText(100),
    reference: optionalText(200),
  })
  .meta({ id: 'NewPayment' });

export const ReverseBody = z.strictObject({ reason: z.string().min(1).max(500).describe('why: bounced cheque, chargeback, …') });
