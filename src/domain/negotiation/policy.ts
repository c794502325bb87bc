/**
 * The negotiation policy: what a debtor may be offered, the same for the portal, WhatsApp, the API and collectors.
 * A company keeps ONE document: the base limits plus overrides that apply by portfolio, segment and phase. Every
 * field is optional; what the document leaves out comes from `DEFAULT_POLICY_FILE`.
 *
 *   promises:
 *     max_days: 15                      # a promise date at most this many days ahead
 *     min_percent_of_overdue: 20        # the promise covers at least this share of what is overdue
 *     grace_business_days: 1            # payments dated up to this many business days late still count
 *   plans:
 *     enabled: true
 *     min_down_payment_percent: 10      # of the balance covered (after discount)
 *     max_installments: 12              # not counting the down payment
 *     min_installment: { MXN: "200.00", CLP: "10000" }
 *     frequencies: [weekly, biweekly, monthly]
 *     annual_interest_percent: null     # null: no interest; e.g. 24 for 24 % a year, simple interest
 *     max_first_installment_days: 30
 *     installment_grace_business_days: 3
 *     max_discount_percent: 0
 *   settlements:
 *     max_discount_percent: 0           # off the balance, for one payment
 *     by_days_past_due: [{ from: 31, max_discount_percent: 10 }, { from: 91, max_discount_percent: 25 }]
 *     max_pay_within_days: 15
 *   early_payment: { discount_percent: 2, days_before_due: 5 }   # preventive phase only; null: none
 *   approval: { role: supervisor, exceptions: true }             # exceptions: false refuses instead
 *                                     # role: collector | supervisor | admin (that role or higher approves), or agency
 *   overrides:
 *     - when: { phase: judicial }                                # also portfolio:, segment: (a name or a list)
 *       settlements: { max_discount_percent: 40 }
 *
 * Overrides apply in file order, each only when every condition it names matches; a later one wins. Percentages
 * may have up to two decimals and become basis points (1 % = 100 bps), so no float ever touches money.
 */
import { z } from 'zod';
import { parse as parseYamlText, YAMLParseError } from 'yaml';
import { parseDecimal, isKnownCurrency, unsupportedCurrencyText } from '../money.ts';
import { FREQUENCIES, type Frequency } from './schedule.ts';
import { compose, say, t, TextError, textOf, type Message } from '../text.ts';
import { issueText, zodText } from '../zod-issues.ts';

/**
 * Roles a policy may name to approve exceptions. The named role or a higher one approves: admin > supervisor >
 * collector. An agency approves only where the policy names `agency` (then collectors, supervisors and admins do too).
 */
export const APPROVER_ROLES = ['collector', 'agency', 'supervisor', 'admin'] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

const APPROVER_RANK: Readonly<Record<ApproverRole, number>> = { collector: 1, agency: 1, supervisor: 2, admin: 3 };

export function isApproverRole(value: string): value is ApproverRole {
  return (APPROVER_ROLES as readonly string[]).includes(value);
}

/**
 * Whether a user of `role` may approve (or reject) an exception whose policy names `approver`. Roles that cannot be
 * named (auditor, viewer, unknown) never may; an agency only where the policy names it.
 */
export function mayApprove(role: string, approver: ApproverRole): boolean {
  if (!isApproverRole(role)) return false;
  if (role === approver) return true;
  if (role === 'agency') return false;
  return APPROVER_RANK[role] >= APPROVER_RANK[approver];
}

/** Basis points: 10 000 = 100 %. */
export type Bps = number;

export interface NegotiationPolicy {
  readonly promises: { readonly maxDays: number; readonly minPercentOfOverdue: Bps; readonly graceBusinessDays: number };
  readonly plans: {
    readonly enabled: boolean;
    readonly minDownPaymentPercent: Bps;
    readonly maxInstallments: number;
    /** Currency → minor units. */
    readonly minInstallment: Readonly<Record<string, bigint>>;
    readonly frequencies: readonly Frequency[];
    readonly annualInterestBps: Bps | null;
    readonly maxFirstInstallmentDays: number;
    readonly installmentGraceBusinessDays: number;
    readonly maxDiscountPercent: Bps;
  };
  readonly settlements: {
    readonly maxDiscountPercent: Bps;
    /** Ascending by `from` (days past due, inclusive). */
    readonly byDaysPastDue: ReadonlyArray<{ readonly from: number; readonly maxDiscountPercent: Bps }>;
    readonly maxPayWithinDays: number;
  };
  readonly earlyPayment: { readonly discountPercent: Bps; readonly daysBeforeDue: number } | null;
  readonly approval: { readonly role: ApproverRole; readonly exceptions: boolean };
}

/** Where an account stands, for choosing overrides. */
export interface PolicyScope {
  readonly portfolio: string | null;
  readonly segments: readonly string[];
  readonly phase: string | null;
}

export interface PolicyIssue {
  readonly path: string;
  readonly message: Message;
}

export class PolicyError extends TextError {
  override name = 'PolicyError';
  readonly issues: readonly PolicyIssue[];
  constructor(issues: readonly PolicyIssue[]) {
    const list = (l: 'en' | 'es') => issues.map((i) => (i.path ? `${i.path}: ${say(i.message, l)}` : say(i.message, l))).join('; ');
    super(compose((l) => (l === 'es' ? `la política de negociación no es válida: ${list(l)}` : `the negotiation policy is not valid: ${list(l)}`)));
    this.issues = issues;
  }
}

const WHOLE_DAYS = zodText(t('must be a whole number of days', 'debe ser un número entero de días'));
const percent = z
  .union([z.number(), z.string()], { error: zodText(t('must be a percentage such as 10 or 12.5', 'debe ser un porcentaje como 10 o 12.5')) })
  .refine(
    (v) => /^\d{1,3}(\.\d{1,2})?$/.test(String(v)) && Number(v) <= 100,
    zodText(t('must be a percentage from 0 to 100 with at most two decimals', 'debe ser un porcentaje de 0 a 100 con dos decimales como máximo')),
  );
const days = (max: number) => z.number({ error: WHOLE_DAYS }).int(WHOLE_DAYS).min(0).max(max);
const oneOf = (values: readonly string[]) => zodText(t(`must be one of ${values.join(', ')}`, `debe ser uno de ${values.join(', ')}`));

const promisesSection = z.strictObject({
  max_days: days(365).optional(),
  min_percent_of_overdue: percent.optional(),
  grace_business_days: days(30).optional(),
});
const plansSection = z.strictObject({
  enabled: z.boolean().optional(),
  min_down_payment_percent: percent.optional(),
  max_installments: z.number().int().min(1).max(120).optional(),
  min_installment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  frequencies: z
    .array(z.enum(FREQUENCIES, { error: oneOf(FREQUENCIES) }))
    .min(1, zodText(t('allow at least one frequency', 'permita al menos una frecuencia')))
    .optional(),
  annual_interest_percent: percent.nullable().optional(),
  max_first_installment_days: days(365).optional(),
  installment_grace_business_days: days(30).optional(),
  max_discount_percent: percent.optional(),
});
const settlementsSection = z.strictObject({
  max_discount_percent: percent.optional(),
  by_days_past_due: z.array(z.strictObject({ from: days(10_000), max_discount_percent: percent })).optional(),
  max_pay_within_days: days(365).optional(),
});
const earlyPaymentSection = z.strictObject({ discount_percent: percent, days_before_due: days(365) }).nullable();
const approvalSection = z.strictObject({
  role: z.enum(APPROVER_ROLES, { error: oneOf(APPROVER_ROLES) }).optional(),
  exceptions: z.boolean().optional(),
});
const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const sections = {
  promises: promisesSection.optional(),
  plans: plansSection.optional(),
  settlements: settlementsSection.optional(),
  early_payment: earlyPaymentSection.optional(),
  approval: approvalSection.optional(),
};

const overrideSchema = z.strictObject({
  when: z
    .strictObject({ portfolio: oneOrMany.optional(), segment: oneOrMany.optional(), phase: oneOrMany.optional() })
    .refine((w) => w.portfolio !== undefined || w.segment !== undefined || w.phase !== undefined, zodText(t('name a portfolio, segment or phase', 'indique una cartera, un segmento o una fase'))),
  ...sections,
});

const fileSchema = z.strictObject({ ...sections, overrides: z.array(overrideSchema).optional() });

/** The policy file as written (snake_case), also its stored form. */
export type PolicyFile = z.output<typeof fileSchema>;
type Sections = Omit<PolicyFile, 'overrides'>;

/** The policy that ships: conservative limits a company then adjusts. */
export const DEFAULT_POLICY_FILE: PolicyFile = {
  promises: { max_days: 15, min_percent_of_overdue: 20, grace_business_days: 1 },
  plans: {
    enabled: true,
    min_down_payment_percent: 10,
    max_installments: 12,
    min_installment: { MXN: '200.00', CLP: '10000', COP: '50000.00', PEN: '50.00', ARS: '5000.00', BRL: '50.00', USD: '20.00' },
    frequencies: ['weekly', 'biweekly', 'monthly'],
    annual_interest_percent: null,
    max_first_installment_days: 30,
    installment_grace_business_days: 3,
    max_discount_percent: 0,
  },
  settlements: {
    max_discount_percent: 0,
    by_days_past_due: [
      { from: 31, max_discount_percent: 10 },
      { from: 91, max_discount_percent: 25 },
      { from: 181, max_discount_percent: 40 },
    ],
    max_pay_within_days: 15,
  },
  early_payment: { discount_percent: 2, days_before_due: 5 },
  approval: { role: 'supervisor', exceptions: true },
  overrides: [],
};

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Percent text → basis points, exactly ("12.5" → 1250). */
export function percentToBps(value: number | string): Bps {
  const [whole = '0', frac = ''] = String(value).split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
}

/** Basis points → percent text ("1250" → "12.5"). */
export function bpsToPercent(bps: Bps): string {
  const whole = Math.trunc(bps / 100);
  const frac = String(bps % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

function checkMinInstallments(file: Sections, base: string, issues: PolicyIssue[]): void {
  for (const [currency, value] of Object.entries(file.plans?.min_installment ?? {})) {
    const where = `${base}plans.min_installment.${currency}`;
    if (!isKnownCurrency(currency)) {
      issues.push({ path: where, message: unsupportedCurrencyText(currency) });
      continue;
    }
    try {
      parseDecimal(String(value), currency);
    } catch (error) {
      issues.push({ path: where, message: textOf(error) });
    }
  }
}

/** Validates a policy document (already parsed from YAML/JSON). Throws PolicyError listing every problem. */
export function validatePolicyFile(input: unknown): PolicyFile {
  const parsed = fileSchema.safeParse(input ?? {});
  if (!parsed.success) throw new PolicyError(parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: issueText(i) })));
  const issues: PolicyIssue[] = [];
  checkMinInstallments(parsed.data, '', issues);
  parsed.data.overrides?.forEach((o, i) => checkMinInstallments(o, `overrides[${i}].`, issues));
  if (issues.length) throw new PolicyError(issues);
  return parsed.data;
}

/** Parses the text of a policy file: JSON when it looks like JSON, YAML otherwise. */
export function parsePolicySource(text: string): PolicyFile {
  const trimmed = text.trim();
  if (!trimmed) throw new PolicyError([{ path: '', message: t('the file is empty', 'el archivo está vacío') }]);
  let data: unknown;
  if (trimmed.startsWith('{')) {
    try {
      data = JSON.parse(trimmed);
    } catch (error) {
      const cause = (error as Error).message;
      throw new PolicyError([{ path: '', message: t(`not valid JSON: ${cause}`, `no es JSON válido: ${cause}`) }]);
    }
  } else {
    try {
      data = parseYamlText(trimmed);
    } catch (error) {
      const e = error as YAMLParseError;
      const pos = e.linePos?.[0];
      const cause = e.message.split('\n')[0];
      throw new PolicyError([
        { path: '', message: t(`not valid YAML${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}: ${cause}`, `no es YAML válido${pos ? ` (línea ${pos.line}, columna ${pos.col})` : ''}: ${cause}`) },
      ]);
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new PolicyError([{ path: '', message: t('the policy must be a mapping of sections (promises, plans, settlements, …)', 'la política debe ser un mapa de secciones (promises, plans, settlements, …)') }]);
  return validatePolicyFile(data);
}

function matches(value: string | readonly string[] | undefined, actual: readonly string[]): boolean {
  if (value === undefined) return true;
  const wanted = typeof value === 'string' ? [value] : value;
  return wanted.some((w) => actual.includes(w));
}

function merge(into: Record<string, unknown>, from: Sections): void {
  for (const key of ['promises', 'plans', 'settlements', 'approval'] as const) {
    const section = from[key];
    if (!section) continue;
    const current = (into[key] ?? {}) as Record<string, unknown>;
    const next: Record<string, unknown> = { ...current, ...section };
    // Minimum installments merge per currency: an override for CLP keeps the MXN minimum.
    if (key === 'plans' && from.plans?.min_installment) next.min_installment = { ...(current.min_installment as object), ...from.plans.min_installment };
    into[key] = next;
  }
  if (from.early_payment !== undefined) into.early_payment = from.early_payment;
}

/** The policy in force for an account: defaults, then the company's document, then its matching overrides. */
export function effectivePolicy(file: PolicyFile | null, scope: PolicyScope): NegotiationPolicy {
  const merged: Record<string, unknown> = {};
  merge(merged, DEFAULT_POLICY_FILE);
  if (file) {
    merge(merged, file);
    for (const o of file.overrides ?? []) {
      if (
        matches(o.when.portfolio, scope.portfolio ? [scope.portfolio] : []) &&
        matches(o.when.segment, scope.segments) &&
        matches(o.when.phase, scope.phase ? [scope.phase] : [])
      ) {
        merge(merged, o);
      }
    }
  }
  const f = merged as Required<Sections> & { promises: Required<NonNullable<Sections['promises']>>; plans: Required<NonNullable<Sections['plans']>>; settlements: Required<NonNullable<Sections['settlements']>>; approval: Required<NonNullable<Sections['approval']>> };
  return {
    promises: { maxDays: f.promises.max_days, minPercentOfOverdue: percentToBps(f.promises.min_percent_of_overdue), graceBusinessDays: f.promises.grace_business_days },
    plans: {
      enabled: f.plans.enabled,
      minDownPaymentPercent: percentToBps(f.plans.min_down_payment_percent),
      maxInstallments: f.plans.max_installments,
      minInstallment: Object.fromEntries(Object.entries(f.plans.min_installment).map(([cur, v]) => [cur, parseDecimal(String(v), cur)])),
      frequencies: f.plans.frequencies,
      annualInterestBps: f.plans.annual_interest_percent === null ? null : percentToBps(f.plans.annual_interest_percent),
      maxFirstInstallmentDays: f.plans.max_first_installment_days,
      installmentGraceBusinessDays: f.plans.installment_grace_business_days,
      maxDiscountPercent: percentToBps(f.plans.max_discount_percent),
    },
    settlements: {
      maxDiscountPercent: percentToBps(f.settlements.max_discount_percent),
      byDaysPastDue: [...f.settlements.by_days_past_due].map((x) => ({ from: x.from, maxDiscountPercent: percentToBps(x.max_discount_percent) })).sort((a, b) => a.from - b.from),
      maxPayWithinDays: f.settlements.max_pay_within_days,
    },
    earlyPayment: f.early_payment ? { discountPercent: percentToBps(f.early_payment.discount_percent), daysBeforeDue: f.early_payment.days_before_due } : null,
    approval: { role: f.approval.role, exceptions: f.approval.exceptions },
  };
}
