import { and, desc, eq } from 'drizzle-orm';
import { portfolios, strategies, strategyVersions } from '../../db/schema.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { t } from '../../domain/text.ts';

export interface StrategyDetail {
  name: string;
  portfolio: string;
  status: 'active' | 'paused';
  description: string | null;
  /** The version shown (the active one unless asked otherwise). */
  version: number;
  active: boolean;
  /** The definition in its canonical file form. */
  definition: Record<string, unknown>;
  /** The file as it was applied, when it came from a file. */
  source: string | null;
  createdBy: string;
  createdAt: Date;
  versions: Array<{ version: number; createdBy: string; createdAt: Date; active: boolean }>;
}

/** One strategy with its active (or a given) version and the list of versions. */
export async function showStrategy(ctx: Ctx, options: { name: string; version?: number | undefined }): Promise<StrategyDetail> {
  const { db } = ctx.database;
  const [row] = await db
    .select({ s: strategies, portfolio: portfolios.name })
    .from(strategies)
    .innerJoin(portfolios, eq(portfolios.id, strategies.portfolioId))
    .where(and(eq(strategies.companyId, ctx.companyId), eq(strategies.name, options.name)));
  if (!row) throw notFound('strategy', options.name);
  const versions = await db.select().from(strategyVersions).where(eq(strategyVersions.strategyId, row.s.id)).orderBy(desc(strategyVersions.version));
  const shown = options.version !== undefined ? versions.find((v) => v.version === options.version) : versions.find((v) => v.id === row.s.activeVersionId);
  if (!shown) throw new AppError('not_found', t(`strategy "${options.name}" has no version ${options.version ?? '(active)'}`, `la estrategia "${options.name}" no tiene la versión ${options.version ?? '(activa)'}`));
  return {
    name: row.s.name,
    portfolio: row.portfolio,
    status: row.s.status as 'active' | 'paused',
    description: row.s.description,
    version: shown.version,
    active: shown.id === row.s.activeVersionId,
    definition: shown.definition,
    source: shown.source,
    createdBy: shown.createdBy,
    createdAt: shown.createdAt,
    versions: versions.map((v) => ({ version: v.version, createdBy: v.createdBy, createdAt: v.createdAt, active: v.id === row.s.activeVersionId })),
  };
}
