/** Wire shapes of obligations: snake_case like the import columns, money as decimal strings beside the currency. */
import { z } from 'zod';
import { amountText } from '../../schemas.ts';
import { zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

export const ObligationSchema = z
  .object({
    external_id: z.string(),
    debtor_external_id: z.string(),
    portfolio: z.string(),
    kind: z.string(),
    product: z.string().nullable(),
    currency: z.string(),
    amount: z.string().describe('decimal string in the currency, e.g. "1250.50"'),
    balance: z.string().describe('still owed after allocations, decimal string'),
    issued_on: z.string().nullable(),
    due_on: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Obligation' });

const optionalText = (max: number) => z.string().max(max).nullable().optional();

const obligationFields = {
  debtor_external_id: z.string().min(1).max(100),
  kind: optionalText(50).describe('invoice (default), installment, statement, other'),
  product: optionalText(100),
  currency: z.string().max(5).describe('ISO 4217, e.g. MXN'),
  amount: amountText().describe('decimal string with at most the currency’s decimals, e.g. "1250.50"'),
  issued_on: optionalText(10).describe('YYYY-MM-DD'),
  due_on: z.string().max(10).describe('YYYY-MM-DD'),
  portfolio: optionalText(100).describe('portfolio name; "default" when absent; a new name creates it'),
};

/** Obligation columns as saveRecords reads them. */
export const OBLIGATION_COLUMNS = ['external_id', 'debtor_external_id', 'kind', 'product', 'currency', 'amount', 'issued_on', 'due_on', 'portfolio'] as const;

export const CreateObligationBody = z.strictObject({ external_id: z.string().min(1).max(100), ...obligationFields }).meta({ id: 'NewObligation' });

export const PatchObligationBody = z
  .strictObject({
    debtor_external_id: obligationFields.debtor_external_id.optional(),
    kind: obligationFields.kind,
    product: obligationFields.product,
    currency: obligationFields.currency.optional(),
    amount: obligationFields.amount.optional(),
    issued_on: obligationFields.issued_on,
    due_on: obligationFields.due_on.optional(),
    portfolio: obligationFields.portfolio,
  })
  .refine((b) => Object.keys(b).length > 0, zodText(t('send at least one field to change', 'envíe al menos un campo que cambiar')))
  .meta({ id: 'ObligationPatch' });
