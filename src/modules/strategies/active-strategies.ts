import { and, eq, isNotNull } from 'drizzle-orm';
import { portfolios, strategies, strategyVersions } from '../../db/schema.ts';
import type { StrategyDefinition } from '../../domain/strategies/index.ts';
import { notFound } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { definitionOfVersion } from './load-definition.ts';

export interface ActiveStrategy {
  id: number;
  name: string;
  portfolioId: number;
  portfolioName: string;
  portfolioLastRunOn: string | null;
  versionId: number;
  version: number;
  definition: StrategyDefinition;
  thresholds: { preventiveDays: number; administrativeFrom: number; extrajudicialFrom: number; judicialFrom: number; graceDays: number };
}

/** The company's active strategies with their running version (optionally one by name, active or not). */
export async function activeStrategies(ctx: Ctx, options: { name?: string | undefined } = {}): Promise<ActiveStrategy[]> {
  const rows = await ctx.database.db
    .select({ s: strategies, v: strategyVersions, p: portfolios })
    .from(strategies)
    .innerJoin(strategyVersions, eq(strategyVersions.id, strategies.activeVersionId))
    .innerJoin(portfolios, eq(portfolios.id, strategies.portfolioId))
    .where(
      and(
        eq(strategies.companyId, ctx.companyId),
        isNotNull(strategies.activeVersionId),
        options.name !== undefined ? eq(strategies.name, options.name) : eq(strategies.status, 'active'),
      ),
    )
    .orderBy(strategies.name);
  if (options.name !== undefined && rows.length === 0) throw notFound('strategy', options.name);
  return rows.map(({ s, v, p }) => ({
    id: s.id,
    name: s.name,
    portfolioId: p.id,
    portfolioName: p.name,
    portfolioLastRunOn: p.lastRunOn,
    versionId: v.id,
    version: v.version,
    definition: definitionOfVersion(v.id, v.definition),
    thresholds: { preventiveDays: p.preventiveDays, administrativeFrom: p.administrativeFrom, extrajudicialFrom: p.extrajudicialFrom, judicialFrom: p.judicialFrom, graceDays: p.graceDays },
  }));
}

/** Every phase some rule of the definition applies to. */
export function phasesOf(definition: StrategyDefinition): string[] {
  return [...new Set(definition.rules.flatMap((r) => r.phases))];
}

/** The template language: the strategy's, else the company's locale mapped to a language templates ship in. */
export function templateLanguage(definition: StrategyDefinition, locale: string): string {
  if (definition.language) return definition.language;
  return locale.toLowerCase().startsWith('en') ? 'en' : 'es-MX';
}
