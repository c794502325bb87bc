/** Wire shapes of strategies and simulations: snake_case. */
import { z } from 'zod';
import type { SimulatedItem, SimulationResult, StrategyDetail, StrategySummary } from '../../../modules/strategies/index.ts';

export const nameParams = z.object({ name: z.string().min(1).max(200) });

export const StrategySummarySchema = z
  .object({
    name: z.string(),
    portfolio: z.string(),
    status: z.enum(['active', 'paused']),
    version: z.number().int().nullable(),
    versions: z.number().int(),
    description: z.string().nullable(),
    updated_at: z.string(),
  })
  .meta({ id: 'StrategySummary' });

export const StrategyDetailSchema = z
  .object({
    name: z.string(),
    portfolio: z.string(),
    status: z.enum(['active', 'paused']),
    description: z.string().nullable(),
    version: z.number().int(),
    active: z.boolean(),
    definition: z.record(z.string(), z.unknown()).describe('the definition in its canonical file form'),
    source: z.string().nullable().describe('the file as applied, when it came from a file'),
    created_by: z.string(),
    created_at: z.string(),
    versions: z.array(z.object({ version: z.number().int(), created_by: z.string(), created_at: z.string(), active: z.boolean() })),
  })
  .meta({ id: 'StrategyDetail' });

export function summaryView(s: StrategySummary) {
  return { name: s.name, portfolio: s.portfolio, status: s.status, version: s.version, versions: s.versions, description: s.description, updated_at: s.updatedAt.toISOString() };
}

export function detailView(s: StrategyDetail) {
  return {
    name: s.name,
    portfolio: s.portfolio,
    status: s.status,
    description: s.description,
    version: s.version,
    active: s.active,
    definition: s.definition,
    source: s.source,
    created_by: s.createdBy,
    created_at: s.createdAt.toISOString(),
    versions: s.versions.map((v) => ({ version: v.version, created_by: v.createdBy, created_at: v.createdAt.toISOString(), active: v.active })),
  };
}

const ItemSchema = z.object({
  date: z.string(),
  debtor_id: z.number().int(),
  debtor: z.string(),
  step: z.string(),
  channel: z.string(),
  outcome: z.enum(['now', 'deferred', 'refused', 'task', 'task_cancelled']),
  scheduled_for: z.string().nullable(),
  rule: z.string().nullable(),
  reason: z.string().nullable().describe("why the gate deferred or refused it, in the Accept-Language's language"),
  reason_code: z.string().nullable().describe('the kind of that reason (hours, holiday, cap, hold, consent_missing, …)'),
  fallback: z.boolean(),
});

const counts = z.record(z.string(), z.number().int());

export const SimulationSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    strategies: z.array(
      z.object({
        name: z.string(),
        version: z.number().int().nullable().describe('null for a file that is not applied'),
        portfolio: z.string(),
        accounts: z.number().int(),
        days: z.array(
          z.object({
            date: z.string(),
            messages: z.number().int(),
            now: z.number().int(),
            deferred: z.number().int(),
            refused: z.number().int(),
            tasks: z.number().int(),
            by_step: counts,
            by_channel: counts,
            samples: z.array(ItemSchema),
          }),
        ),
        refusals: z.array(ItemSchema),
        refusals_by_rule: counts,
        totals: z.object({ messages: z.number().int(), now: z.number().int(), deferred: z.number().int(), refused: z.number().int(), tasks: z.number().int() }),
      }),
    ),
  })
  .meta({ id: 'StrategySimulation' });

function itemView(i: SimulatedItem) {
  return {
    date: i.date,
    debtor_id: i.debtorId,
    debtor: i.debtor,
    step: i.step,
    channel: i.channel,
    outcome: i.outcome,
    scheduled_for: i.scheduledFor,
    rule: i.rule,
    reason: i.reason,
    reason_code: i.reasonCode,
    fallback: i.fallback,
  };
}

export function simulationView(sim: SimulationResult) {
  return {
    from: sim.from,
    to: sim.to,
    strategies: sim.strategies.map((s) => ({
      name: s.name,
      version: s.version,
      portfolio: s.portfolio,
      accounts: s.accounts,
      days: s.days.map((d) => ({
        date: d.date,
        messages: d.messages,
        now: d.now,
        deferred: d.deferred,
        refused: d.refused,
        tasks: d.tasks,
        by_step: d.byStep,
        by_channel: d.byChannel,
        samples: d.samples.map(itemView),
      })),
      refusals: s.refusals.map(itemView),
      refusals_by_rule: s.refusalsByRule,
      totals: s.totals,
    })),
  };
}
