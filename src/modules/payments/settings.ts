/**
 * A company's payment settings: the provider of new links, how long links live, and the bank-transfer reference
 * scheme (Mexico: SPEI to a CLABE, cash at a store such as OXXO with a numeric reference). Creditors configure the
 * scheme their bank gave them; nothing here is a secret (provider keys come from the environment).
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { paymentSettings } from '../../db/tables/payments.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { PAYMENT_PROVIDERS, paymentsRuntime, type PaymentProvider } from './ports.ts';
import { CHECK_DIGITS, clabeProblem } from './references.ts';
import { customIssue, issueText, zodText } from '../../domain/zod-issues.ts';
import { t } from '../../domain/text.ts';

const digits = (max: number) => z.string().regex(new RegExp(`^\\d{0,${max}}$`), zodText(t(`digits only, at most ${max}`, `solo dígitos, como máximo ${max}`)));

/** The bank-transfer reference scheme, as stored in payment_settings.bank_reference. */
export const bankReferenceSchema = z
  .strictObject({
    /** The creditor's own CLABE, shown to debtors when there is no per-link range. */
    clabe: z
      .string()
      .optional()
      .superRefine((v, issue) => {
        const problem = v === undefined ? null : clabeProblem(v);
        if (problem) issue.addIssue(customIssue(problem));
      }),
    /** First digits of a CLABE range the bank assigned: each link gets its own CLABE (prefix + sequence + check digit). */
    clabe_prefix: digits(16).optional(),
    /** Numeric reference for SPEI's "referencia numérica" and for cash payments: prefix + sequence + check digit(s). */
    reference_prefix: digits(10).default(''),
    reference_length: z.number().int().min(4).max(30).default(10),
    check_digit: z.enum(CHECK_DIGITS).default('luhn'),
    bank_name: z.string().min(1).max(100).optional(),
    beneficiary: z.string().min(1).max(200).optional(),
    /** Stores where cash is accepted, e.g. "OXXO". */
    cash_stores: z.array(z.string().min(1).max(50)).max(20).optional(),
  })
  .refine((v) => v.reference_prefix.length < v.reference_length - 1, {
    message: zodText(t('reference_prefix leaves no room for the sequence', 'reference_prefix no deja espacio para el consecutivo')),
    path: ['reference_prefix'],
  });
export type BankReferenceSettings = z.infer<typeof bankReferenceSchema>;

/** What a company's settings resolve to. */
export interface PaymentSettings {
  /** The provider of new links (the company's choice, else the server default). */
  provider: PaymentProvider;
  /** Whether `provider` is the company's own choice. */
  providerChosen: boolean;
  linkTtlHours: number;
  bankReference: BankReferenceSettings;
}

/** The company's payment settings, with defaults when none were saved. */
export async function loadPaymentSettings(ctx: Ctx): Promise<PaymentSettings> {
  const [row] = await ctx.database.db.select().from(paymentSettings).where(eq(paymentSettings.companyId, ctx.companyId));
  const chosen = row?.provider && (PAYMENT_PROVIDERS as readonly string[]).includes(row.provider) ? (row.provider as PaymentProvider) : null;
  const bank = bankReferenceSchema.safeParse(row?.bankReference ?? {});
  return {
    provider: chosen ?? paymentsRuntime().defaultProvider,
    providerChosen: chosen !== null,
    linkTtlHours: row?.linkTtlHours ?? 72,
    bankReference: bank.success ? bank.data : bankReferenceSchema.parse({}),
  };
}

/** What may be changed; absent fields keep their value, `provider: null` returns to the server default. */
export const paymentSettingsInput = z.strictObject({
  provider: z.enum(PAYMENT_PROVIDERS).nullable().optional(),
  link_ttl_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .optional(),
  bank_reference: bankReferenceSchema.optional(),
});
export type PaymentSettingsInput = z.infer<typeof paymentSettingsInput>;

/** Saves the company's payment settings (validated, audited) and returns them resolved. */
export async function setPaymentSettings(ctx: Ctx, input: unknown): Promise<PaymentSettings> {
  const parsed = paymentSettingsInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'validation_failed',
      t('the payment settings are not valid', 'la configuración de pagos no es válida'),
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), reason: issueText(i) })),
    );
  }
  const value = parsed.data;
  const before = await loadPaymentSettings(ctx);
  await ctx.database.db.transaction(async (tx) => {
    const set = {
      ...(value.provider !== undefined ? { provider: value.provider } : {}),
      ...(value.link_ttl_hours !== undefined ? { linkTtlHours: value.link_ttl_hours } : {}),
      ...(value.bank_reference !== undefined ? { bankReference: value.bank_reference as Record<string, unknown> } : {}),
      updatedAt: ctx.clock.now(),
    };
    await tx
      .insert(paymentSettings)
      .values({ companyId: ctx.companyId, ...set })
      .onConflictDoUpdate({ target: paymentSettings.companyId, set });
    await recordAudit(ctx, { action: 'payment_settings.update', entity: 'payment_settings', entityId: ctx.companyId, before, after: value }, tx);
  });
  return loadPaymentSettings(ctx);
}
