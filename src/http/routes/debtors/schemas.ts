/** Wire shapes of debtors: snake_case like the import columns. */
import { z } from 'zod';
import { accountFields, PerCurrencySchema } from '../../schemas.ts';
import { attributeKeyProblem } from '../../save-one.ts';
import { customIssue, zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

const text = z.string().nullable();

export const DebtorSchema = z
  .object({
    external_id: z.string(),
    name: z.string(),
    type: z.string(),
    tax_id: text,
    email: text,
    phone: text,
    whatsapp: text,
    country: z.string(),
    region: text,
    city: text,
    postal_code: text,
    time_zone: z.string(),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.string()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Debtor' });

export const DebtorDetailSchema = DebtorSchema.extend({
  balances: PerCurrencySchema.describe('open balance per currency'),
  unapplied: PerCurrencySchema.describe('payments not applied to any obligation, per currency'),
  accounts: z.array(z.object(accountFields)),
  holds: z.array(
    z.object({
      reason: z.string(),
      note: text,
      starts_on: z.string(),
      expires_on: text,
      created_by: z.string(),
      created_at: z.string(),
    }),
  ),
}).meta({ id: 'DebtorDetail' });

const optionalText = (max: number) => z.string().max(max).nullable().optional();

const Attributes = z
  .record(z.string(), z.string().max(500).nullable())
  .superRefine((attributes, ctx) => {
    for (const key of Object.keys(attributes)) {
      const problem = attributeKeyProblem(key);
      if (problem) ctx.addIssue({ ...customIssue(problem), path: [key] });
    }
  })
  .describe('custom fields (segment rules read them as attr.<name>); null removes one');

const Tags = z
  .union([z.array(z.string().min(1).max(50).refine((t) => !t.includes(';'), zodText(t('a tag cannot contain ";"', 'una etiqueta no puede contener ";"')))).max(50), z.string().max(5000)])
  .nullable()
  .optional()
  .describe('a list, or one string separated by ";" as in files; tags that differ only in case are one tag, spelled as first sent');

/** Debtor fields a client may send; validation beyond the shape (tax ids, phones, regions) is the import's. */
const debtorFields = {
  name: z.string().max(500),
  type: optionalText(50).describe('person or company (persona, empresa, …)'),
  tax_id: optionalText(100).describe('RFC, RUT, NIT, RUC, CUIT…; checked for the debtor’s country'),
  email: optionalText(254),
  phone: optionalText(40),
  whatsapp: optionalText(40),
  country: optionalText(2).describe('ISO 3166 alpha-2; the company’s when absent'),
  region: optionalText(100),
  city: optionalText(500),
  postal_code: optionalText(20),
  time_zone: optionalText(100).describe('IANA name; from country and region when absent'),
  tags: Tags,
  attributes: Attributes.optional(),
};

/** Debtor columns that map one to one onto saveRecords columns. */
export const DEBTOR_COLUMNS = ['external_id', 'name', 'type', 'tax_id', 'email', 'phone', 'whatsapp', 'country', 'region', 'city', 'postal_code', 'time_zone'] as const;

export const CreateDebtorBody = z.strictObject({ external_id: z.string().min(1).max(100), ...debtorFields }).meta({ id: 'NewDebtor' });

export const PatchDebtorBody = z
  .strictObject({ ...debtorFields, name: debtorFields.name.optional() })
  .refine((b) => Object.keys(b).length > 0, zodText(t('send at least one field to change', 'envíe al menos un campo que cambiar')))
  .meta({ id: 'DebtorPatch' });

/** Tags as the import reads them: one cell separated by ";". */
export function tagsCell(tags: string | string[] | null | undefined): string | undefined {
  if (tags === undefined) return undefined;
  if (tags === null) return '';
  return Array.isArray(tags) ? tags.join(';') : tags;
}
