/**
 * Preview of a strategy on today's portfolio: day by day from `from` to `to`, which messages and tasks it would
 * create and which the compliance gate would defer or refuse, and why. Nothing is written.
 *
 * The simulation starts from each account's current state and moves it forward: days past due grow with the date,
 * the phase follows the portfolio's thresholds (a manual phase or a hold keeps it as the daily run would), segments
 * stay as the last run computed them, no payment arrives. What the simulated days "send" counts as done and as
 * contact history, so frequency caps bite as they would (e.g. a third SMS in a Chilean week). Each day is judged at
 * the company's daily run time.
 */
import { and, eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { portfolios } from '../../db/schema.ts';
import { accountPhase, bucketFor, PHASES, type Phase } from '../../domain/aging.ts';
import { addDays, daysBetween, parseDate, type PlainDate } from '../../domain/calendar.ts';
import {
  doneKey,
  dueSteps,
  parseStrategyDefinition,
  parseStrategySource,
  StrategyDefinitionError,
  type AccountEvent,
  type StrategyAccountFacts,
  type StrategyDefinition,
} from '../../domain/strategies/index.ts';
import { contactRulesResolver, emptyGateFacts, HISTORY_DAYS, loadAutomationSettings, loadGateFacts, type GateFacts } from '../messaging/index.ts';
import { AppError, invalidInput } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { activeStrategies, templateLanguage, type ActiveStrategy } from './active-strategies.ts';
import { strategyAccountPages, type StrategyAccount } from './load-accounts.ts';
import { toAppError } from './load-definition.ts';
import { planAccount, type PlannedItem } from './plan-contacts.ts';
import { t, type Language } from '../../domain/text.ts';
import { reasonText } from '../../domain/compliance/index.ts';

export const MAX_SIMULATION_DAYS = 92;
const SAMPLES_PER_DAY = 20;
const MAX_REFUSALS = 500;

export interface SimulatedItem {
  date: PlainDate;
  debtorId: number;
  debtor: string;
  step: string;
  channel: string;
  /** now (sent that day, maybe at the opening hour), deferred (moved to a later day), refused, task, task_cancelled */
  outcome: 'now' | 'deferred' | 'refused' | 'task' | 'task_cancelled';
  scheduledFor: string | null;
  rule: string | null;
  /** Why the gate deferred or refused it, in the simulation's language. */
  reason: string | null;
  /** The kind of that reason (hours, holiday, cap, hold, consent_missing, …: src/domain/compliance/reason.ts). */
  reasonCode: string | null;
  fallback: boolean;
}

export interface SimulatedDay {
  date: PlainDate;
  messages: number;
  now: number;
  deferred: number;
  refused: number;
  tasks: number;
  byStep: Record<string, number>;
  byChannel: Record<string, number>;
  samples: SimulatedItem[];
}

export interface StrategySimulation {
  name: string;
  version: number | null;
  portfolio: string;
  accounts: number;
  days: SimulatedDay[];
  /** Contacts the gate deferred or refused (and tasks a hold cancelled), with the rule and the reason. */
  refusals: SimulatedItem[];
  refusalsByRule: Record<string, number>;
  totals: { messages: number; now: number; deferred: number; refused: number; tasks: number };
}

export interface SimulationResult {
  from: PlainDate;
  to: PlainDate;
  strategies: StrategySimulation[];
}

function day(input: string, path: string): PlainDate {
  try {
    return parseDate(input);
  } catch (error) {
    throw invalidInput(error, path);
  }
}

/**
 * Simulates the active strategies (or one by name, or a definition not applied yet) over a range of days; the gate's
 * reasons are written in `language` (English when not given).
 */
export async function simulateStrategy(
  ctx: Ctx,
  options: { from: string; to: string; strategy?: string | undefined; source?: string | undefined; language?: Language | undefined },
): Promise<SimulationResult> {
  const from = day(options.from, 'from');
  const to = day(options.to, 'to');
  if (to < from) throw new AppError('validation_failed', t(`"to" (${to}) is before "from" (${from})`, `"to" (${to}) es anterior a "from" (${from})`), [{ path: 'to', reason: t('must not be before from', 'no debe ser anterior a from') }]);
  if (daysBetween(from, to) >= MAX_SIMULATION_DAYS) throw new AppError('validation_failed', t(`simulate at most ${MAX_SIMULATION_DAYS} days at a time`, `simule como máximo ${MAX_SIMULATION_DAYS} días a la vez`), [{ path: 'to', reason: t(`at most ${MAX_SIMULATION_DAYS} days after from`, `como máximo ${MAX_SIMULATION_DAYS} días después de from`) }]);
  const settings = await loadAutomationSettings(ctx);
  const targets = options.source !== undefined ? [await draftStrategy(ctx, options.source)] : await activeStrategies(ctx, { name: options.strategy });
  const out: StrategySimulation[] = [];
  for (const s of targets) out.push(await simulateOne(ctx, s, from, to, settings, options.language ?? 'en'));
  return { from, to, strategies: out };
}

async function draftStrategy(ctx: Ctx, source: string): Promise<ActiveStrategy> {
  let definition: StrategyDefinition;
  try {
    definition = parseStrategyDefinition(parseStrategySource(source));
  } catch (error) {
    if (error instanceof StrategyDefinitionError) throw toAppError(error);
    throw error;
  }
  const [p] = await ctx.database.db.select().from(portfolios).where(and(eq(portfolios.companyId, ctx.companyId), eq(portfolios.name, definition.portfolio)));
  if (!p) throw new AppError('validation_failed', t(`portfolio "${definition.portfolio}" does not exist`, `no existe la cartera "${definition.portfolio}"`), [{ path: 'portfolio', reason: t('unknown portfolio', 'cartera desconocida') }]);
  const existing = (await activeStrategies(ctx)).find((s) => s.name === definition.name);
  return {
    // A draft has no rows of its own; it sees what the strategy of the same name already did, if any.
    id: existing?.id ?? -1,
    name: definition.name,
    portfolioId: p.id,
    portfolioName: p.name,
    portfolioLastRunOn: p.lastRunOn,
    versionId: -1,
    version: 0,
    definition,
    thresholds: { preventiveDays: p.preventiveDays, administrativeFrom: p.administrativeFrom, extrajudicialFrom: p.extrajudicialFrom, judicialFrom: p.judicialFrom, graceDays: p.graceDays },
  };
}

interface SimState {
  account: StrategyAccount;
  phase: string;
  facts: StrategyAccountFacts;
  done: Set<string>;
  events: AccountEvent[];
  lastContactOn: PlainDate | null;
  lastOutbound: StrategyAccountFacts['lastOutbound'];
}

async function simulateOne(
  ctx: Ctx,
  s: ActiveStrategy,
  from: PlainDate,
  to: PlainDate,
  settings: Awaited<ReturnType<typeof loadAutomationSettings>>,
  language: Language,
): Promise<StrategySimulation> {
  const rulesFor = contactRulesResolver(settings);
  const [hh, mm] = settings.dailyRunAt.split(':').map(Number) as [number, number];
  const dates: PlainDate[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  const result: StrategySimulation = {
    name: s.name,
    version: s.versionId > 0 ? s.version : null,
    portfolio: s.portfolioName,
    accounts: 0,
    days: dates.map((date) => ({ date, messages: 0, now: 0, deferred: 0, refused: 0, tasks: 0, byStep: {}, byChannel: {}, samples: [] })),
    refusals: [],
    refusalsByRule: {},
    totals: { messages: 0, now: 0, deferred: 0, refused: 0, tasks: 0 },
  };
  let sim = 0;
  // Accounts are independent of each other, so the portfolio is simulated a page of accounts at a time.
  const pages = strategyAccountPages(ctx, { strategyId: s.id, portfolioId: s.portfolioId, phases: PHASES, asOf: from, windowDays: s.definition.catchUpDays });
  for await (const accounts of pages) {
    result.accounts += accounts.length;
    const gate = new Map<number, GateFacts>();
    const states: SimState[] = accounts.map((a) => ({
      account: a,
      phase: a.facts.phase,
      facts: a.facts,
      done: new Set(a.facts.done),
      events: [...a.facts.events],
      lastContactOn: a.facts.lastContactOn,
      lastOutbound: a.facts.lastOutbound,
    }));
    for (const [i, date] of dates.entries()) {
      const at = new Date(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: settings.timeZone, plainTime: { hour: hh, minute: mm } }).epochMilliseconds);
      const dueToday: Array<{ st: SimState; result: ReturnType<typeof dueSteps> }> = [];
      for (const st of states) {
        advance(st, s, date);
        const r = dueSteps(s.definition, st.facts, date);
        if (r.due.length) dueToday.push({ st, result: r });
      }
      const missing = dueToday.map((x) => x.st.account.debtorId).filter((id) => !gate.has(id));
      if (missing.length) {
        const loaded = await loadGateFacts(ctx, missing, { onDate: from, since: new Date(at.getTime() - HISTORY_DAYS * 86_400_000) });
        for (const [id, f] of loaded) gate.set(id, f);
      }
      const planContext = {
        strategyId: s.id,
        strategyVersionId: s.versionId,
        asOf: date,
        language: templateLanguage(s.definition, settings.locale),
        at: () => at,
        rulesFor,
        gateFacts: (id: number) => gate.get(id) ?? emptyGateFacts(),
      };
      for (const { st, result: r } of dueToday) {
        for (const item of planAccount(planContext, st.account, r.due)) record(result, result.days[i]!, st, item, date, () => ++sim, language);
      }
    }
  }
  return result;
}

/** Moves an account's facts to `date`: days past due, phase (and the entered_phase event), done and contact state. */
function advance(st: SimState, s: ActiveStrategy, date: PlainDate): void {
  const a = st.account;
  const dpd = a.facts.oldestOpen ? daysBetween(a.facts.oldestOpen.dueOn, date) : null;
  const manual = a.manualPhase && (a.manualPhaseUntil === null || a.manualPhaseUntil >= date) ? (a.manualPhase as Phase) : null;
  // What a payment plan does not cover moves on as it ages: the plan's hold freezes only the account's own phase.
  const { phase } = accountPhase({ dpd, thresholds: s.thresholds, manualPhase: manual, onHold: a.onHold && !a.underPlan, previousPhase: st.phase as Phase });
  if (phase !== st.phase) st.events.push({ kind: 'entered_phase', cause: `entered_phase:${phase}:${date}`, on: date, phase });
  st.phase = phase;
  st.facts = {
    ...a.facts,
    phase,
    ruleFacts: { ...a.facts.ruleFacts, phase, days_past_due: dpd, bucket: dpd === null ? 'current' : bucketFor(dpd) },
    done: st.done,
    events: st.events,
    lastContactOn: st.lastContactOn,
    lastOutbound: st.lastOutbound,
  };
}

function record(result: StrategySimulation, d: SimulatedDay, st: SimState, item: PlannedItem, date: PlainDate, nextId: () => number, language: Language): void {
  st.done.add(doneKey(item.stepId, item.cause));
  let outcome: SimulatedItem['outcome'];
  if (item.kind === 'task') {
    outcome = item.status === 'open' ? 'task' : 'task_cancelled';
    if (item.status === 'open') d.tasks++;
  } else if (item.status === 'refused') {
    outcome = 'refused';
    d.refused++;
  } else {
    outcome = item.deferred ? 'deferred' : 'now';
    d.messages++;
    if (outcome === 'now') d.now++;
    else d.deferred++;
    st.lastContactOn = date;
    if (!item.cause.startsWith('no_reply:')) st.lastOutbound = { id: `sim-${nextId()}`, on: date, replied: false };
  }
  if (outcome !== 'refused' && outcome !== 'task_cancelled') {
    d.byStep[item.stepId] = (d.byStep[item.stepId] ?? 0) + 1;
    d.byChannel[item.channel] = (d.byChannel[item.channel] ?? 0) + 1;
  }
  const sample: SimulatedItem = {
    date,
    debtorId: item.debtorId,
    debtor: item.debtorName,
    step: item.stepId,
    channel: item.channel,
    outcome,
    scheduledFor: item.kind === 'message' && item.status === 'pending' ? item.scheduledFor.toISOString() : null,
    rule: item.decision?.rule ?? null,
    reason: item.decision && !item.decision.allowed ? reasonText(item.decision.reasonCode, language) : null,
    reasonCode: item.decision && !item.decision.allowed ? item.decision.reasonCode.code : null,
    fallback: item.fallbackOfKey !== null,
  };
  if (d.samples.length < SAMPLES_PER_DAY) d.samples.push(sample);
  if (outcome === 'refused' || outcome === 'deferred' || outcome === 'task_cancelled') {
    const rule = sample.rule ?? 'unknown';
    result.refusalsByRule[rule] = (result.refusalsByRule[rule] ?? 0) + 1;
    if (result.refusals.length < MAX_REFUSALS) result.refusals.push(sample);
  }
  result.totals.messages += outcome === 'now' || outcome === 'deferred' ? 1 : 0;
  result.totals.now += outcome === 'now' ? 1 : 0;
  result.totals.deferred += outcome === 'deferred' ? 1 : 0;
  result.totals.refused += outcome === 'refused' ? 1 : 0;
  result.totals.tasks += outcome === 'task' ? 1 : 0;
}
