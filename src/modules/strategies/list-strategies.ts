import { sql } from 'drizzle-orm';
import type { Ctx } from '../shared/context.ts';

export interface StrategySummary {
  name: string;
  portfolio: string;
  status: 'active' | 'paused';
  version: number | null;
  versions: number;
  description: string | null;
  updatedAt: Date;
}

/** The company's strategies with their active version. */
export async function listStrategies(ctx: Ctx): Promise<StrategySummary[]> {
  const rows = await ctx.database.query<{ name: string; portfolio: string; status: string; version: number | null; versions: number; description: string | null; updated_at: string | Date }>(sql`
    SELECT s.name, p.name AS portfolio, s.status, v.version, (SELECT count(*)::int FROM strategy_versions x WHERE x.strategy_id = s.id) AS versions,
           s.description, s.updated_at
      FROM strategies s
      JOIN portfolios p ON p.id = s.portfolio_id
      LEFT JOIN strategy_versions v ON v.id = s.active_version_id
     WHERE s.company_id = ${ctx.companyId}
     ORDER BY s.name`);
  return rows.map((r) => ({
    name: r.name,
    portfolio: r.portfolio,
    status: r.status as 'active' | 'paused',
    version: r.version === null ? null : Number(r.version),
    versions: Number(r.versions),
    description: r.description,
    updatedAt: new Date(r.updated_at),
  }));
}
