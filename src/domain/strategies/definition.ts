/**
 * Strategy definitions (plan de cobranza): what a strategy file says, validated.
 *
 * A strategy belongs to one portfolio and is an ordered list of rules. For each account the FIRST rule whose phase,
 * segment and optional condition match applies; its steps are what the engine may do for that account. A step is
 * triggered either by a day offset relative to the due date of the account's oldest open obligation (−5, 0, +3, …)
 * or by an event (promise broken, payment plan broken, payment received, message failed, no reply for N days,
 * entered phase X).
 *
 * Example (YAML; JSON with the same shape is accepted too):
 *
 *   name: estandar
 *   portfolio: default
 *   catch_up_days: 3
 *   rules:
 *     - phase: preventive
 *       steps:
 *         - { id: pre-5, trigger: -5, channel: email, template: preventive_reminder, fallback: sms }
 *         - { id: due-0, trigger: { days: 0 }, channel: whatsapp, template: due_today, fallback: sms }
 *     - phase: administrative
 *       segment: [vip]
 *       when: "balance.MXN >= 1000"
 *       steps:
 *         - id: late-3
 *           trigger: 3
 *           channel: sms
 *           template: late_3
 *           conditions: { balance_gte: { MXN: "100.00" }, not_contacted_days: 2, has_consent: true }
 *
 * Everything here is pure: no I/O, no clock.
 */
import { z } from 'zod';
import { parse as parseYamlText, YAMLParseError } from 'yaml';
import { formatDecimal, parseDecimal } from '../money.ts';
import { PHASES, type Phase } from '../aging.ts';
import { parseRule, RuleError, type RuleAst } from '../segment-rules.ts';
import { compose, say, t, TextError, textOf, type Message } from '../text.ts';
import { issueText, zodText } from '../zod-issues.ts';

/** Channels a step can use. `call_task` and `agency_referral` create tasks for people instead of messages. */
export const STEP_CHANNELS = ['email', 'whatsapp', 'sms', 'letter', 'call_task', 'agency_referral'] as const;
export type StepChannel = (typeof STEP_CHANNELS)[number];

/** Channels that produce an outbound message (outbox row); the others produce a task. */
export const MESSAGE_CHANNELS = ['email', 'whatsapp', 'sms', 'letter'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export function isMessageChannel(channel: StepChannel): channel is MessageChannel {
  return (MESSAGE_CHANNELS as readonly string[]).includes(channel);
}

/**
 * Events a step can react to. `promise_broken`: a promise to pay broken or only partly kept (cause `promise:<id>`);
 * `plan_broken`: a payment plan or settlement broken by an installment missed beyond its grace (cause `plan:<id>`).
 */
export const STEP_EVENTS = ['promise_broken', 'plan_broken', 'payment_received', 'message_failed', 'no_reply_days', 'entered_phase'] as const;
export type StepEvent = (typeof STEP_EVENTS)[number];

/** Longest catch-up window accepted: beyond a month a "late" message is news to nobody. */
export const MAX_CATCH_UP_DAYS = 30;
export const DEFAULT_CATCH_UP_DAYS = 3;
export const DEFAULT_MAX_ATTEMPTS = 5;

export type StepTrigger =
  | { readonly kind: 'days'; readonly days: number }
  | { readonly kind: 'event'; readonly event: Exclude<StepEvent, 'no_reply_days' | 'entered_phase'> }
  | { readonly kind: 'event'; readonly event: 'no_reply_days'; readonly days: number }
  | { readonly kind: 'event'; readonly event: 'entered_phase'; readonly phase: Phase };

export interface StepConditions {
  /** Currency → minor units; met when the account owes at least this much in ANY of the listed currencies. */
  readonly balanceGte?: Readonly<Record<string, bigint>>;
  /** Met when no message was sent to the debtor (any channel) in the N days before the day judged. */
  readonly notContactedDays?: number;
  /** Met when the debtor granted consent for the step's channel. */
  readonly hasConsent?: boolean;
}

export interface StrategyStep {
  readonly id: string;
  readonly trigger: StepTrigger;
  readonly channel: StepChannel;
  readonly template: string;
  readonly conditions: StepConditions;
  /** Used when the channel is not allowed (gate refusal, no address) or the message finally fails. */
  readonly fallback: StepChannel | null;
}

export interface StrategyRule {
  /** A name for reports; defaults to "rule-<n>" (1-based). */
  readonly id: string;
  readonly phases: readonly Phase[];
  /** The account must be in at least one of these segments; empty = any. */
  readonly segments: readonly string[];
  /** Extra condition in the segment rule language, as written. */
  readonly when: string | null;
  readonly whenAst: RuleAst | null;
  readonly steps: readonly StrategyStep[];
}

export interface StrategyDefinition {
  readonly name: string;
  readonly portfolio: string;
  readonly description: string | null;
  /** Template language when a step does not say; null = the company's locale. */
  readonly language: string | null;
  readonly catchUpDays: number;
  readonly maxAttempts: number;
  readonly rules: readonly StrategyRule[];
}

export interface StrategyIssue {
  /** Where, e.g. "rules[0].steps[1].channel". */
  readonly path: string;
  readonly message: Message;
}

export class StrategyDefinitionError extends TextError {
  override name = 'StrategyDefinitionError';
  readonly issues: readonly StrategyIssue[];
  constructor(issues: readonly StrategyIssue[]) {
    const list = (l: 'en' | 'es') => issues.map((i) => (i.path ? `${i.path}: ${say(i.message, l)}` : say(i.message, l))).join('; ');
    super(compose((l) => (l === 'es' ? `la estrategia no es válida: ${list(l)}` : `the strategy is not valid: ${list(l)}`)));
    this.issues = issues;
  }
}

const A_TEXT = zodText(t('must be a text', 'debe ser texto'));
const WHOLE_DAYS = zodText(t('must be a whole number of days', 'debe ser un número entero de días'));
const oneOfValues = (values: readonly string[]) => zodText(t(`must be one of ${values.join(', ')}`, `debe ser uno de ${values.join(', ')}`));

// ---------------------------------------------------------------------------------------------------------------
// Schema of the file

const idSchema = z
  .string({ error: A_TEXT })
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    zodText(t('use 1–63 lowercase letters, digits, "-" or "_", starting with a letter or digit', 'use de 1 a 63 minúsculas, dígitos, "-" o "_", empezando con una letra o un dígito')),
  );
const templateKeySchema = z
  .string({ error: A_TEXT })
  .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, zodText(t('use lowercase letters, digits, ".", "-" or "_" (e.g. late_3)', 'use minúsculas, dígitos, ".", "-" o "_" (p. ej. late_3)')));
const phaseSchema = z.enum(PHASES, { error: oneOfValues(PHASES) });
const channelSchema = z.enum(STEP_CHANNELS, { error: oneOfValues(STEP_CHANNELS) });
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1, zodText(t('list at least one', 'indique al menos uno')))]).transform((v) => (Array.isArray(v) ? v : [v]) as Array<z.output<T>>);
const dayOffset = z.number({ error: WHOLE_DAYS }).int(WHOLE_DAYS).min(-365).max(3650);

const triggerSchema = z.union(
  [
    dayOffset.transform((days) => ({ days })),
    z.string().regex(/^[+-]?\d+$/).transform((s) => ({ days: Number(s) })),
    z.strictObject({ days: dayOffset }),
    z.strictObject({ event: z.enum(['promise_broken', 'plan_broken', 'payment_received', 'message_failed']) }),
    z.strictObject({ event: z.literal('no_reply_days'), days: z.number().int().min(1).max(365) }),
    z.strictObject({ event: z.literal('entered_phase'), phase: phaseSchema }),
  ],
  {
    error: zodText(
      t(
        'a trigger is a day offset from the due date (e.g. -5, 0, 3) or an event: {event: promise_broken | plan_broken | payment_received | message_failed}, {event: no_reply_days, days: N}, {event: entered_phase, phase: P}',
        'un disparador es un desfase en días desde el vencimiento (p. ej. -5, 0, 3) o un evento: {event: promise_broken | plan_broken | payment_received | message_failed}, {event: no_reply_days, days: N}, {event: entered_phase, phase: P}',
      ),
    ),
  },
);

const conditionsSchema = z.strictObject({
  balance_gte: z.record(z.string().regex(/^[A-Z]{2,4}$/, zodText(t('use an ISO currency code such as MXN', 'use un código de moneda ISO como MXN'))), z.union([z.string(), z.number()])).optional(),
  not_contacted_days: z.number().int().min(1).max(365).optional(),
  has_consent: z.boolean().optional(),
});

const stepSchema = z.strictObject({
  id: idSchema,
  trigger: triggerSchema,
  channel: channelSchema,
  template: templateKeySchema,
  conditions: conditionsSchema.optional(),
  fallback: channelSchema.optional(),
});

const ruleSchema = z.strictObject({
  id: idSchema.optional(),
  phase: oneOrMany(phaseSchema),
  segment: oneOrMany(z.string().min(1)).optional(),
  when: z.string().min(1).optional(),
  steps: z.array(stepSchema).min(1, zodText(t('a rule needs at least one step', 'una regla necesita al menos una acción'))),
});

const fileSchema = z.strictObject({
  name: idSchema,
  portfolio: z.string({ error: zodText(t('name the portfolio the strategy runs on', 'indique la cartera en la que corre la estrategia')) }).min(1),
  description: z.string().optional(),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, zodText(t('use a language tag such as es-MX or en', 'use una etiqueta de idioma como es-MX o en'))).optional(),
  catch_up_days: z.number().int().min(0).max(MAX_CATCH_UP_DAYS).optional(),
  max_attempts: z.number().int().min(1).max(20).optional(),
  rules: z.array(ruleSchema).min(1, zodText(t('a strategy needs at least one rule', 'una estrategia necesita al menos una regla'))),
});

/** The file's shape, as written (snake_case), for documentation and the API schema. */
export type StrategyFile = z.input<typeof fileSchema>;

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Parses a strategy file's text: JSON when it looks like JSON, YAML otherwise. */
export function parseStrategySource(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) throw new StrategyDefinitionError([{ path: '', message: t('the file is empty', 'el archivo está vacío') }]);
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch (error) {
      const cause = (error as Error).message;
      throw new StrategyDefinitionError([{ path: '', message: t(`not valid JSON: ${cause}`, `no es JSON válido: ${cause}`) }]);
    }
  }
  try {
    return parseYamlText(text, { uniqueKeys: true }) as unknown;
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const pos = error.linePos?.[0];
      const what = error.message.split(' at line ')[0]!.split('\n')[0];
      throw new StrategyDefinitionError([
        { path: '', message: t(`not valid YAML: ${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${what}`, `no es YAML válido: ${pos ? `línea ${pos.line}, columna ${pos.col}: ` : ''}${what}`) },
      ]);
    }
    throw error;
  }
}

/**
 * Validates a strategy (already parsed from YAML/JSON) and returns its definition; throws StrategyDefinitionError
 * listing every problem with its path.
 */
export function parseStrategyDefinition(input: unknown): StrategyDefinition {
  const parsed = fileSchema.safeParse(input);
  if (!parsed.success) {
    throw new StrategyDefinitionError(parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: issueText(i) })));
  }
  const file = parsed.data;
  const issues: StrategyIssue[] = [];
  const stepIds = new Map<string, string>();
  const ruleIds = new Set<string>();

  const rules: StrategyRule[] = file.rules.map((rule, r) => {
    const rulePath = `rules[${r}]`;
    const id = rule.id ?? `rule-${r + 1}`;
    if (ruleIds.has(id)) issues.push({ path: `${rulePath}.id`, message: t(`rule id "${id}" is used twice`, `el id de regla "${id}" se usa dos veces`) });
    ruleIds.add(id);
    let whenAst: RuleAst | null = null;
    if (rule.when !== undefined) {
      try {
        whenAst = parseRule(rule.when);
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        issues.push({ path: `${rulePath}.when`, message: error.text });
      }
    }
    const steps = rule.steps.map((step, s): StrategyStep => {
      const stepPath = `${rulePath}.steps[${s}]`;
      const seen = stepIds.get(step.id);
      if (seen) {
        issues.push({
          path: `${stepPath}.id`,
          message: t(
            `step id "${step.id}" is already used at ${seen}; step ids identify what was sent, so they must be unique in the strategy`,
            `el id de acción "${step.id}" ya se usa en ${seen}; los ids de acción identifican lo que se envió, así que deben ser únicos en la estrategia`,
          ),
        });
      }
      else stepIds.set(step.id, stepPath);
      if (step.fallback === step.channel) issues.push({ path: `${stepPath}.fallback`, message: t('the fallback must be a different channel', 'el canal alterno debe ser otro canal') });
      const balanceGte: Record<string, bigint> = {};
      for (const [currency, amount] of Object.entries(step.conditions?.balance_gte ?? {})) {
        try {
          balanceGte[currency] = parseDecimal(String(amount), currency);
        } catch (error) {
          issues.push({ path: `${stepPath}.conditions.balance_gte.${currency}`, message: textOf(error) });
        }
      }
      const given = step.trigger;
      const trigger: StepTrigger =
        'days' in given && !('event' in given)
          ? { kind: 'days', days: given.days }
          : given.event === 'no_reply_days'
            ? { kind: 'event', event: 'no_reply_days', days: given.days }
            : given.event === 'entered_phase'
              ? { kind: 'event', event: 'entered_phase', phase: given.phase }
              : { kind: 'event', event: given.event };
      const conditions: StepConditions = {
        ...(step.conditions?.balance_gte ? { balanceGte } : {}),
        ...(step.conditions?.not_contacted_days !== undefined ? { notContactedDays: step.conditions.not_contacted_days } : {}),
        ...(step.conditions?.has_consent !== undefined ? { hasConsent: step.conditions.has_consent } : {}),
      };
      return { id: step.id, trigger, channel: step.channel, template: step.template, conditions, fallback: step.fallback ?? null };
    });
    return { id, phases: [...new Set(rule.phase)], segments: [...new Set(rule.segment ?? [])], when: rule.when ?? null, whenAst, steps };
  });
  if (issues.length) throw new StrategyDefinitionError(issues);
  return {
    name: file.name,
    portfolio: file.portfolio,
    description: file.description ?? null,
    language: file.language ?? null,
    catchUpDays: file.catch_up_days ?? DEFAULT_CATCH_UP_DAYS,
    maxAttempts: file.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
    rules,
  };
}

/** The definition back in the file's shape (snake_case, canonical), as stored in a version and shown to users. */
export function toStrategyFile(d: StrategyDefinition): Record<string, unknown> {
  const trigger = (t: StepTrigger): unknown => {
    if (t.kind === 'days') return { days: t.days };
    if (t.event === 'no_reply_days') return { event: t.event, days: t.days };
    if (t.event === 'entered_phase') return { event: t.event, phase: t.phase };
    return { event: t.event };
  };
  return {
    name: d.name,
    portfolio: d.portfolio,
    ...(d.description !== null ? { description: d.description } : {}),
    ...(d.language !== null ? { language: d.language } : {}),
    catch_up_days: d.catchUpDays,
    max_attempts: d.maxAttempts,
    rules: d.rules.map((r) => ({
      id: r.id,
      phase: [...r.phases],
      ...(r.segments.length ? { segment: [...r.segments] } : {}),
      ...(r.when !== null ? { when: r.when } : {}),
      steps: r.steps.map((s) => {
        const c = s.conditions;
        const conditions = {
          ...(c.balanceGte ? { balance_gte: Object.fromEntries(Object.entries(c.balanceGte).map(([k, v]) => [k, formatDecimal(v, k)])) } : {}),
          ...(c.notContactedDays !== undefined ? { not_contacted_days: c.notContactedDays } : {}),
          ...(c.hasConsent !== undefined ? { has_consent: c.hasConsent } : {}),
        };
        return {
          id: s.id,
          trigger: trigger(s.trigger),
          channel: s.channel,
          template: s.template,
          ...(Object.keys(conditions).length ? { conditions } : {}),
          ...(s.fallback ? { fallback: s.fallback } : {}),
        };
      }),
    })),
  };
}

/** Every step of the strategy with the rule it belongs to. */
export function allSteps(d: StrategyDefinition): Array<{ rule: StrategyRule; step: StrategyStep }> {
  return d.rules.flatMap((rule) => rule.steps.map((step) => ({ rule, step })));
}
