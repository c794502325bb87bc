import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { portfolios, segments, strategies, strategyVersions } from '../../db/schema.ts';
import {
  parseStrategyDefinition,
  parseStrategySource,
  StrategyDefinitionError,
  toStrategyFile,
  type StrategyDefinition,
} from '../../domain/strategies/index.ts';
import { AppError, t, type DetailInput } from '../shared/errors.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { checkTemplates } from './check-templates.ts';
import { invalidStrategy, toAppError } from './load-definition.ts';

export interface ApplyStrategyResult {
  name: string;
  portfolio: string;
  version: number;
  /** False when the definition equals the active version: nothing was written. */
  versionCreated: boolean;
  strategyCreated: boolean;
}

/** Checks hooks the caller may add (e.g. that every template key exists); each returns problems with paths. */
export type DefinitionCheck = (definition: StrategyDefinition) => DetailInput[] | Promise<DetailInput[]>;

/**
 * Creates or edits a strategy from a file's text (YAML or JSON) or an already parsed object. Editing never changes a
 * version: a different definition becomes the next version and the active one; the same definition changes nothing.
 * A strategy stays on its portfolio, and a portfolio runs one active strategy at a time.
 */
export async function applyStrategy(
  ctx: Ctx,
  options: { source?: string | undefined; definition?: unknown; checks?: readonly DefinitionCheck[] },
): Promise<ApplyStrategyResult> {
  let definition: StrategyDefinition;
  try {
    const input = options.source !== undefined ? parseStrategySource(options.source) : options.definition;
    if (input === undefined) throw new AppError('validation_failed', t('give the strategy as a file (YAML or JSON) or an object', 'envíe la estrategia como archivo (YAML o JSON) o como objeto'));
    definition = parseStrategyDefinition(input);
  } catch (error) {
    if (error instanceof StrategyDefinitionError) throw toAppError(error);
    throw error;
  }
  const { db } = ctx.database;
  const [portfolio] = await db.select().from(portfolios).where(and(eq(portfolios.companyId, ctx.companyId), eq(portfolios.name, definition.portfolio)));
  if (!portfolio) throw invalidStrategy([{ path: 'portfolio', reason: t(`portfolio "${definition.portfolio}" does not exist`, `no existe la cartera "${definition.portfolio}"`) }]);

  const problems: DetailInput[] = [];
  const known = new Set((await db.select({ name: segments.name }).from(segments).where(eq(segments.companyId, ctx.companyId))).map((s) => s.name));
  definition.rules.forEach((rule, r) => {
    for (const s of rule.segments) {
      if (!known.has(s)) problems.push({ path: `rules[${r}].segment`, reason: t(`segment "${s}" does not exist (create it with "cobranza segments add")`, `no existe el segmento "${s}" (créelo con "cobranza segments add")`) });
    }
  });
  problems.push(...(await checkTemplates(ctx, definition)));
  for (const check of options.checks ?? []) problems.push(...(await check(definition)));
  if (problems.length) throw invalidStrategy(problems.map((p) => ({ path: p.path ?? '', reason: p.reason })));

  const stored = toStrategyFile(definition);
  const checksum = createHash('sha256').update(JSON.stringify(stored)).digest('hex');
  return db.transaction(async (tx) => {
    // Serialises edits of the company's strategies so version numbers and the one-active-per-portfolio rule hold.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7261003, ${ctx.companyId}::int)`);
    let [strategy] = await tx.select().from(strategies).where(and(eq(strategies.companyId, ctx.companyId), eq(strategies.name, definition.name)));
    const [other] = await tx
      .select({ name: strategies.name })
      .from(strategies)
      .where(and(eq(strategies.portfolioId, portfolio.id), eq(strategies.status, 'active'), sql`${strategies.name} <> ${definition.name}`));
    if (other && (!strategy || strategy.status === 'active')) {
      throw new AppError(
        'conflict',
        t(
          `portfolio "${portfolio.name}" already runs strategy "${other.name}"; a portfolio runs one strategy at a time (edit that one, or pause it first)`,
          `la cartera "${portfolio.name}" ya corre la estrategia "${other.name}"; una cartera corre una sola estrategia a la vez (edite esa o páusela primero)`,
        ),
      );
    }
    let strategyCreated = false;
    if (!strategy) {
      [strategy] = await tx
        .insert(strategies)
        .values({ companyId: ctx.companyId, portfolioId: portfolio.id, name: definition.name, description: definition.description, status: 'active', createdAt: ctx.clock.now(), updatedAt: ctx.clock.now() })
        .returning();
      strategyCreated = true;
    } else if (strategy.portfolioId !== portfolio.id) {
      throw new AppError(
        'conflict',
        t(
          `strategy "${definition.name}" runs on another portfolio; a strategy cannot move between portfolios, give the new one another name`,
          `la estrategia "${definition.name}" corre en otra cartera; una estrategia no puede cambiar de cartera, dele otro nombre a la nueva`,
        ),
      );
    }
    const s = strategy!;
    const [latest] = await tx.select().from(strategyVersions).where(eq(strategyVersions.strategyId, s.id)).orderBy(desc(strategyVersions.version)).limit(1);
    if (latest && latest.checksum === checksum && s.activeVersionId === latest.id) {
      return { name: s.name, portfolio: portfolio.name, version: latest.version, versionCreated: false, strategyCreated };
    }
    const version = (latest?.version ?? 0) + 1;
    const [row] = await tx
      .insert(strategyVersions)
      .values({ companyId: ctx.companyId, strategyId: s.id, version, definition: stored, source: options.source ?? null, checksum, createdBy: ctx.actor, createdAt: ctx.clock.now() })
      .returning({ id: strategyVersions.id });
    await tx
      .update(strategies)
      .set({ activeVersionId: row!.id, description: definition.description, updatedAt: ctx.clock.now() })
      .where(eq(strategies.id, s.id));
    await recordAudit(ctx, { action: 'strategy.apply', entity: 'strategy', entityId: s.name, before: latest ? { version: latest.version, definition: latest.definition } : null, after: { version, definition: stored } }, tx);
    return { name: s.name, portfolio: portfolio.name, version, versionCreated: true, strategyCreated };
  });
}
