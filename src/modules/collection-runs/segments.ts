import { and, asc, eq } from 'drizzle-orm';
import { segments } from '../../db/schema.ts';
import { parseRule, RuleError } from '../../domain/segment-rules.ts';
import { AppError, notFound, say, t } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { recordAudit } from '../access/audit.ts';

export interface SegmentView {
  name: string;
  rule: string;
  description: string | null;
}

/** Refuses a rule that does not parse or names an unknown field, pointing at the position of the problem. */
export function checkRule(rule: string): void {
  try {
    parseRule(rule);
  } catch (error) {
    if (error instanceof RuleError) {
      throw new AppError('rule_invalid', t(`segment rule is invalid: ${error.message}`, `la regla del segmento no es válida: ${say(error.text, 'es')}`), [
        { path: 'rule', position: error.position, reason: error.text },
      ]);
    }
    throw error;
  }
}

function checkName(name: string): string {
  const n = name.trim();
  if (!n || n.length > 80) throw new AppError('validation_failed', t('a segment name must have 1 to 80 characters', 'el nombre de un segmento debe tener de 1 a 80 caracteres'), [{ path: 'name', reason: t('length 1–80', 'longitud 1–80') }]);
  return n;
}

/** Saves a segment; its rule takes effect at the next run. */
export async function addSegment(ctx: Ctx, options: { name: string; rule: string; description?: string | null | undefined }): Promise<SegmentView> {
  const name = checkName(options.name);
  checkRule(options.rule);
  return ctx.database.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(segments)
      .values({ companyId: ctx.companyId, name, rule: options.rule.trim(), description: options.description ?? null })
      .onConflictDoNothing()
      .returning();
    const row = inserted[0];
    if (!row) throw new AppError('conflict', t(`a segment named "${name}" already exists; remove it first or choose another name`, `ya existe un segmento llamado "${name}"; elimínelo primero o elija otro nombre`));
    const view = { name: row.name, rule: row.rule, description: row.description };
    await recordAudit(ctx, { action: 'segment.add', entity: 'segment', entityId: row.name, after: view }, tx);
    return view;
  });
}

/** Refuses a segment name the company has none of (a filter's typo would otherwise match nothing); `path` is the input. */
export async function checkSegmentName(ctx: Ctx, name: string, path: string): Promise<void> {
  const [s] = await ctx.database.db
    .select({ name: segments.name })
    .from(segments)
    .where(and(eq(segments.companyId, ctx.companyId), eq(segments.name, name)));
  if (!s) throw notFound('segment', name, [{ path, reason: t('no segment has this name', 'ningún segmento tiene este nombre') }]);
}

export async function listSegments(ctx: Ctx): Promise<SegmentView[]> {
  const rows = await ctx.database.db.select().from(segments).where(eq(segments.companyId, ctx.companyId)).orderBy(asc(segments.name));
  return rows.map((r) => ({ name: r.name, rule: r.rule, description: r.description }));
}

export async function removeSegment(ctx: Ctx, options: { name: string }): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const deleted = await tx
      .delete(segments)
      .where(and(eq(segments.companyId, ctx.companyId), eq(segments.name, options.name)))
      .returning({ name: segments.name, rule: segments.rule, description: segments.description });
    if (deleted.length === 0) throw notFound('segment', options.name);
    await recordAudit(ctx, { action: 'segment.remove', entity: 'segment', entityId: options.name, before: deleted[0] }, tx);
  });
}
