/**
 * A company's adjustments of the contact compliance rules, one country at a time: the rule set and the fields it
 * overrides (hours per weekday and channel class, holidays allowed or refused, the week, frequency caps, consent),
 * and the holidays it adds to or removes from the country's calendar. Each change is validated in full (a rule set
 * that would not resolve is never stored), written under a row lock, and audited in the same transaction. The gate
 * reads the stored adjustments wherever it judges a contact (contactRulesResolver), so a change applies to the next
 * contact planned, sent or checked.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { automationSettings } from '../../db/schema.ts';
import { isPlainDate } from '../../domain/calendar.ts';
import {
  ComplianceRulesError,
  contactRulesOverridesSchema,
  holidaysFor,
  minutesOf,
  RULE_SET_IDS,
  weekdayName,
  type ContactRulesOverrides,
  type TimeWindow,
} from '../../domain/compliance/index.ts';
import { recordAudit } from '../access/audit.ts';
import { contactRulesResolver, countryComplianceSchema, loadAutomationSettings, type AutomationSettings, type CountryCompliance } from '../messaging/index.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, compose, say, t, type DetailInput } from '../shared/errors.ts';
import { issueText, zodText } from '../../domain/zod-issues.ts';
import { complianceYear, countryComplianceView, type CountryComplianceView } from './get-compliance-settings.ts';

/** The body of PUT /settings/compliance/:country: which built-in set applies and the fields the company replaces. */
export const countryRulesInputSchema = z.strictObject({
  /** null or absent: the country's own set (or the company's fallback). */
  rule_set: z.enum(RULE_SET_IDS).nullable().optional(),
  /** Fields replaced; absent or null: the built-in values. */
  overrides: contactRulesOverridesSchema.nullable().optional(),
});
export type CountryRulesInput = z.infer<typeof countryRulesInputSchema>;

const holidayInputSchema = z.strictObject({
  date: z.string().refine(isPlainDate, { message: zodText(t('use a real calendar date in the form YYYY-MM-DD', 'use una fecha real con el formato AAAA-MM-DD')) }),
  name: z.string().trim().min(1, zodText(t('give the holiday a name', 'póngale un nombre al día festivo'))).max(120, zodText(t('at most 120 characters', 'como máximo 120 caracteres'))),
});

const RULES_NOT_VALID = t('the contact rules are not valid; see each field', 'las reglas de contacto no son válidas; revise cada campo');

function issuesOf(error: z.ZodError, prefix: string[] = []): DetailInput[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path.map(String)].join('.'), reason: issueText(i) }));
}

/** "MX" from "mx"; anything but two letters is refused. */
export function complianceCountry(input: string): string {
  const country = input.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) {
    throw new AppError('validation_failed', t(`country must be a two-letter ISO code such as MX or CO, got "${input}"`, `country debe ser un código ISO de dos letras como MX o CO; se recibió "${input}"`), [
      { path: 'country', reason: t('use a two-letter ISO country code', 'use un código ISO de país de dos letras') },
    ]);
  }
  return country;
}

/** Windows of one channel class that overlap on a shared weekday: refused, each day's hours must read one way. */
function overlapProblems(windows: readonly TimeWindow[], path: string): DetailInput[] {
  const problems: DetailInput[] = [];
  windows.forEach((w, i) => {
    for (let j = 0; j < i; j++) {
      const other = windows[j]!;
      const day = w.days.find((d) => other.days.includes(d));
      if (day === undefined) continue;
      if (minutesOf(w.from) < minutesOf(other.to) && minutesOf(other.from) < minutesOf(w.to)) {
        problems.push({
          path: `${path}.${i}`,
          reason: t(
            `${w.from}–${w.to} overlaps ${other.from}–${other.to} on ${weekdayName(day, 'en')} (day ${day}); merge them into one window`,
            `${w.from}–${w.to} se traslapa con ${other.from}–${other.to} el ${weekdayName(day, 'es')} (día ${day}); únalas en una sola ventana`,
          ),
        });
        break;
      }
    }
  });
  return problems;
}

/** Problems the schema cannot see: overlapping windows and repeated cap ids, each with its path. */
function overrideProblems(overrides: ContactRulesOverrides): DetailInput[] {
  const problems: DetailInput[] = [];
  for (const cls of ['voice', 'written'] as const) {
    const windows = overrides.hours?.[cls];
    if (windows) problems.push(...overlapProblems(windows, `overrides.hours.${cls}`));
  }
  const seen = new Set<string>();
  (overrides.caps ?? []).forEach((cap, i) => {
    if (seen.has(cap.id)) problems.push({ path: `overrides.caps.${i}.id`, reason: t(`the cap id "${cap.id}" is used twice; give each cap its own id`, `el id de tope "${cap.id}" se usa dos veces; dé a cada tope su propio id`) });
    seen.add(cap.id);
  });
  return problems;
}

/** Drops empty holiday lists so the stored adjustment says only what the company changed. */
function tidy(adjustment: CountryCompliance): CountryCompliance {
  const out: CountryCompliance = { ...adjustment };
  const add = out.holidays?.add?.length ? [...out.holidays.add].sort((a, b) => a.date.localeCompare(b.date)) : undefined;
  const remove = out.holidays?.remove?.length ? [...out.holidays.remove].sort() : undefined;
  if (add || remove) out.holidays = { ...(add ? { add } : {}), ...(remove ? { remove } : {}) };
  else delete out.holidays;
  if (out.overrides && Object.keys(out.overrides).length === 0) delete out.overrides;
  return out;
}

interface Change {
  /** The country's adjustment after the change (null: back to the built-in rules). */
  next: CountryCompliance | null;
  audit: { action: string; detail?: Record<string, unknown> };
}

/**
 * Reads the company's adjustments with the row locked, applies `change` to one country, checks that the result still
 * resolves, stores it and audits it. Returns the country's view for `year`.
 */
async function changeCountry(
  ctx: Ctx,
  input: { country: string; year?: number | undefined },
  change: (current: CountryCompliance | null, settings: AutomationSettings, country: string) => Change | null,
): Promise<CountryComplianceView> {
  const country = complianceCountry(input.country);
  // Read before the transaction (the company's zone and country); the adjustments themselves are re-read locked.
  const loaded = await loadAutomationSettings(ctx);
  const year = complianceYear(ctx, loaded, input.year);
  const settings = await ctx.database.db.transaction(async (tx) => {
    await tx.insert(automationSettings).values({ companyId: ctx.companyId }).onConflictDoNothing();
    const [row] = await tx
      .select({ overrides: automationSettings.complianceOverrides })
      .from(automationSettings)
      .where(eq(automationSettings.companyId, ctx.companyId))
      .for('update');
    const stored: Record<string, unknown> = { ...(row?.overrides ?? {}) };
    const parsed = stored[country] === undefined ? null : countryComplianceSchema.safeParse(stored[country]);
    const current = parsed?.success ? parsed.data : null;
    const compliance = { ...loaded.compliance };
    if (current) compliance[country] = current;
    else delete compliance[country];
    const before: AutomationSettings = { ...loaded, compliance };
    const result = change(current, before, country);
    if (!result) return before;
    const next = result.next ? tidy(result.next) : null;
    if (next) compliance[country] = next;
    else delete compliance[country];
    const after: AutomationSettings = { ...loaded, compliance };
    try {
      contactRulesResolver(after)(country);
    } catch (error) {
      if (!(error instanceof ComplianceRulesError)) throw error;
      const reason = error.text;
      throw new AppError('validation_failed', compose((l) => (l === 'es' ? `las reglas de contacto de ${country} no serían válidas: ${say(reason, l)}` : `the ${country} contact rules would not be valid: ${say(reason, l)}`)), [
        { path: 'overrides', reason },
      ]);
    }
    if (next) stored[country] = next;
    else delete stored[country];
    await tx.update(automationSettings).set({ complianceOverrides: stored, updatedAt: ctx.clock.now() }).where(eq(automationSettings.companyId, ctx.companyId));
    await recordAudit(ctx, { action: result.audit.action, entity: 'compliance_rules', entityId: country, before: current, after: { ...result.audit.detail, adjustments: next } }, tx);
    return after;
  });
  return countryComplianceView(settings, country, year);
}

/**
 * Replaces the company's rule adjustments for one country (rule set and overridden fields); the holidays it added or
 * removed are kept. `{}` adjusts nothing but lists the country on the settings page.
 */
export async function setCountryRules(ctx: Ctx, input: { country: string; body: unknown; year?: number | undefined }): Promise<CountryComplianceView> {
  const parsed = countryRulesInputSchema.safeParse(input.body);
  if (!parsed.success) throw new AppError('validation_failed', RULES_NOT_VALID, issuesOf(parsed.error));
  const { rule_set: ruleSet, overrides } = parsed.data;
  const problems = overrides ? overrideProblems(overrides) : [];
  if (problems.length) throw new AppError('validation_failed', RULES_NOT_VALID, problems);
  return changeCountry(ctx, input, (current) => ({
    next: { ...(ruleSet ? { rule_set: ruleSet } : {}), ...(overrides ? { overrides } : {}), ...(current?.holidays ? { holidays: current.holidays } : {}) },
    audit: { action: 'compliance_rules.update' },
  }));
}

/** Removes every adjustment of one country (rules and holidays): the built-in rules apply again. */
export async function resetCountryRules(ctx: Ctx, input: { country: string; year?: number | undefined }): Promise<CountryComplianceView> {
  return changeCountry(ctx, input, (current) => (current ? { next: null, audit: { action: 'compliance_rules.reset' } } : null));
}

/**
 * The company's added and removed holidays of a country, and the built-in holidays on `date` in the calendar the
 * country's rules use (company overrides not applied).
 */
function holidayFacts(current: CountryCompliance | null, settings: AutomationSettings, country: string, date: string) {
  const { rules } = contactRulesResolver(settings)(country);
  return {
    added: current?.holidays?.add ?? [],
    removed: current?.holidays?.remove ?? [],
    builtIn: holidaysFor(rules.holidayCalendar, Number(date.slice(0, 4))).filter((h) => h.date === date),
  };
}

function checkHolidayYear(date: string): void {
  const year = Number(date.slice(0, 4));
  if (year < 1970 || year > 2200) throw new AppError('validation_failed', t(`the date must fall between 1970 and 2200, got ${date}`, `la fecha debe estar entre 1970 y 2200; se recibió ${date}`), [{ path: 'date', reason: t('out of range', 'fuera de rango') }]);
}

/**
 * Adds a holiday to the country's calendar for the company. A built-in holiday the company had removed is restored;
 * a date that already is a holiday is refused (409).
 */
export async function addComplianceHoliday(ctx: Ctx, input: { country: string; body: unknown; year?: number | undefined }): Promise<CountryComplianceView> {
  const parsed = holidayInputSchema.safeParse(input.body);
  if (!parsed.success) throw new AppError('validation_failed', t('the holiday is not valid; see each field', 'el día festivo no es válido; revise cada campo'), issuesOf(parsed.error));
  const { date, name } = parsed.data;
  checkHolidayYear(date);
  return changeCountry(ctx, input, (current, settings, country) => {
    const { added, removed, builtIn } = holidayFacts(current, settings, country, date);
    const existing = added.find((h) => h.date === date);
    if (existing) throw new AppError('conflict', t(`${date} is already a holiday for ${country} (${existing.name})`, `${date} ya es día festivo en ${country} (${existing.name})`), [{ path: 'date', reason: t('already a holiday', 'ya es día festivo') }]);
    if (builtIn.length && !removed.includes(date)) {
      throw new AppError('conflict', t(`${date} is already a holiday in ${country}'s calendar (${builtIn.map((h) => h.name).join(', ')})`, `${date} ya es día festivo en el calendario de ${country} (${builtIn.map((h) => h.name).join(', ')})`), [{ path: 'date', reason: t('already a holiday', 'ya es día festivo') }]);
    }
    const holidays = builtIn.length
      ? { add: added, remove: removed.filter((d) => d !== date) }
      : { add: [...added, { date, name }], remove: removed };
    return {
      next: { ...(current ?? {}), holidays },
      audit: { action: 'compliance_holiday.add', detail: { date, name: builtIn.length ? builtIn.map((h) => h.name).join(', ') : name, restored: builtIn.length > 0 } },
    };
  });
}

/**
 * Takes a holiday off the country's calendar for the company: one it added is dropped, a built-in one is listed as
 * removed. A date that is not a holiday answers 404.
 */
export async function removeComplianceHoliday(ctx: Ctx, input: { country: string; date: string; year?: number | undefined }): Promise<CountryComplianceView> {
  const date = input.date.trim();
  if (!isPlainDate(date)) throw new AppError('validation_failed', t(`the date must be a real calendar date in the form YYYY-MM-DD, got "${input.date}"`, `la fecha debe ser una fecha real con el formato AAAA-MM-DD; se recibió "${input.date}"`), [{ path: 'date', reason: t('use YYYY-MM-DD', 'use AAAA-MM-DD') }]);
  checkHolidayYear(date);
  return changeCountry(ctx, input, (current, settings, country) => {
    const { added, removed, builtIn } = holidayFacts(current, settings, country, date);
    const own = added.filter((h) => h.date === date);
    if (own.length) {
      return {
        next: { ...current!, holidays: { add: added.filter((h) => h.date !== date), remove: removed } },
        audit: { action: 'compliance_holiday.remove', detail: { date, name: own.map((h) => h.name).join(', '), built_in: false } },
      };
    }
    if (!builtIn.length || removed.includes(date)) throw new AppError('not_found', t(`${date} is not a holiday for ${country}`, `${date} no es día festivo en ${country}`), [{ path: 'date', reason: t('not a holiday', 'no es día festivo') }]);
    return {
      next: { ...(current ?? {}), holidays: { add: added, remove: [...removed, date] } },
      audit: { action: 'compliance_holiday.remove', detail: { date, name: builtIn.map((h) => h.name).join(', '), built_in: true } },
    };
  });
}
