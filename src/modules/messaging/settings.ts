import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { automationSettings, companies } from '../../db/schema.ts';
import { contactRulesOverridesSchema, holidayOverridesSchema, RULE_SET_IDS } from '../../domain/compliance/index.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { issueText, zodText } from '../../domain/zod-issues.ts';
import { t } from '../../domain/text.ts';

/** A company's adjustment of the contact rules for debtors of one country. */
export const countryComplianceSchema = z.strictObject({
  /** Which built-in rule set applies (e.g. MX-PROFECO for a commercial creditor in Mexico). */
  rule_set: z.enum(RULE_SET_IDS).optional(),
  /** Fields of the rule set replaced (see resolveRules). */
  overrides: contactRulesOverridesSchema.optional(),
  /** Holidays added or removed. */
  holidays: holidayOverridesSchema.optional(),
});
export type CountryCompliance = z.infer<typeof countryComplianceSchema>;

/** Who messages come from and the links they carry. Links may contain {debtor} (the debtor's external id). */
export const senderSchema = z.strictObject({
  creditor: z.strictObject({ name: z.string().min(1).optional(), legal_id: z.string().min(1).optional(), phone: z.string().min(1).optional() }).optional(),
  agency: z.strictObject({ name: z.string().min(1), identification: z.string().min(1).optional() }).optional(),
  /** From header of emails, e.g. "Cobranza ACME <cobranza@acme.mx>". */
  email_from: z.string().min(3).optional(),
  reply_to: z.string().min(3).optional(),
  /** mailto: or https: for the List-Unsubscribe header. */
  unsubscribe_url: z.string().regex(/^(mailto:|https:\/\/)/, zodText(t('use a mailto: or https:// address', 'use una dirección mailto: o https://'))).optional(),
  payment_link: z.string().regex(/^https:\/\//, zodText(t('use an https:// link', 'use un enlace https://'))).optional(),
  portal_link: z.string().regex(/^https:\/\//, zodText(t('use an https:// link', 'use un enlace https://'))).optional(),
  /** Where SMS providers post delivery statuses. */
  sms_status_callback_url: z.string().regex(/^https?:\/\//).optional(),
});
export type SenderSettings = z.infer<typeof senderSchema>;

const complianceOverridesSchema = z.record(z.string().regex(/^[A-Z]{2}$/, zodText(t('key by ISO country code, e.g. "MX"', 'use como clave el código ISO del país, p. ej. "MX"'))), countryComplianceSchema);

export interface AutomationSettings {
  /** "HH:MM" in the company's time zone. */
  dailyRunAt: string;
  enabled: boolean;
  timeZone: string;
  companyCountry: string;
  locale: string;
  companyName: string;
  compliance: Record<string, CountryCompliance>;
  /** Rule set for debtors of countries without a built-in one. */
  fallbackRuleSet: string | null;
  sender: SenderSettings;
}

/** The company's automation settings, with defaults when none were saved. */
export async function loadAutomationSettings(ctx: Ctx): Promise<AutomationSettings> {
  const [row] = await ctx.database.db
    .select({ company: companies, settings: automationSettings })
    .from(companies)
    .leftJoin(automationSettings, eq(automationSettings.companyId, companies.id))
    .where(eq(companies.id, ctx.companyId));
  if (!row) throw notFound('company', ctx.companyId);
  return automationSettingsOf(row.company, row.settings);
}

/** The settings from the company's row and its saved settings (null: none saved), as {@link loadAutomationSettings} reads them. */
export function automationSettingsOf(company: typeof companies.$inferSelect, saved: typeof automationSettings.$inferSelect | null): AutomationSettings {
  const row = { company, settings: saved };
  const parsed = complianceOverridesSchema.safeParse(row.settings?.complianceOverrides ?? {});
  const sender = senderSchema.safeParse(row.settings?.sender ?? {});
  return {
    dailyRunAt: row.settings?.dailyRunAt ?? '06:00',
    enabled: row.settings?.enabled ?? true,
    timeZone: row.company.timeZone,
    companyCountry: row.company.country,
    locale: row.company.locale,
    companyName: row.company.name,
    compliance: parsed.success ? parsed.data : {},
    fallbackRuleSet: row.settings?.fallbackRuleSet ?? null,
    sender: sender.success ? sender.data : {},
  };
}

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** Changes when the daily run starts, whether automation runs, and the company's contact-rule adjustments. */
export async function setAutomationSettings(
  ctx: Ctx,
  options: { dailyRunAt?: string | undefined; enabled?: boolean | undefined; compliance?: unknown; fallbackRuleSet?: string | null | undefined; sender?: unknown },
): Promise<AutomationSettings> {
  if (options.dailyRunAt !== undefined && !HHMM.test(options.dailyRunAt)) {
    throw new AppError('validation_failed', t(`daily run time must be HH:MM (00:00–23:59), got "${options.dailyRunAt}"`, `la hora de la corrida diaria debe ser HH:MM (00:00–23:59); se recibió "${options.dailyRunAt}"`), [{ path: 'daily_run_at', reason: t('use HH:MM', 'use HH:MM') }]);
  }
  if (options.fallbackRuleSet && !(RULE_SET_IDS as readonly string[]).includes(options.fallbackRuleSet)) {
    throw new AppError('validation_failed', t(`fallback rule set must be one of ${RULE_SET_IDS.join(', ')}`, `el conjunto de reglas alterno debe ser uno de ${RULE_SET_IDS.join(', ')}`), [{ path: 'fallback_rule_set', reason: t(`got "${options.fallbackRuleSet}"`, `se recibió "${options.fallbackRuleSet}"`) }]);
  }
  let compliance: Record<string, CountryCompliance> | undefined;
  if (options.compliance !== undefined) {
    const parsed = complianceOverridesSchema.safeParse(options.compliance);
    if (!parsed.success) {
      throw new AppError(
        'validation_failed',
        t('the compliance adjustments are not valid', 'los ajustes de cumplimiento no son válidos'),
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), reason: issueText(i) })),
      );
    }
    compliance = parsed.data;
  }
  let sender: SenderSettings | undefined;
  if (options.sender !== undefined) {
    const parsed = senderSchema.safeParse(options.sender);
    if (!parsed.success) {
      throw new AppError('validation_failed', t('the sender settings are not valid', 'la configuración del remitente no es válida'), parsed.error.issues.map((i) => ({ path: ['sender', ...i.path.map(String)].join('.'), reason: issueText(i) })));
    }
    sender = parsed.data;
  }
  const values = {
    ...(sender !== undefined ? { sender } : {}),
    ...(options.dailyRunAt !== undefined ? { dailyRunAt: options.dailyRunAt } : {}),
    ...(options.enabled !== undefined ? { enabled: options.enabled } : {}),
    ...(compliance !== undefined ? { complianceOverrides: compliance } : {}),
    ...(options.fallbackRuleSet !== undefined ? { fallbackRuleSet: options.fallbackRuleSet } : {}),
  };
  await ctx.database.db
    .insert(automationSettings)
    .values({ companyId: ctx.companyId, ...values })
    .onConflictDoUpdate({ target: automationSettings.companyId, set: { ...values, updatedAt: ctx.clock.now() } });
  return loadAutomationSettings(ctx);
}
