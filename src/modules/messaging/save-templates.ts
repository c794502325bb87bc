/**
 * Saving a company's templates from a file (or its parsed JSON). All or nothing: every template is validated first
 * (an unknown variable is refused with the closest name; see `parseTemplateFile`), then all are written in one
 * transaction. A template is updated in place, its version going up by one, only when its content changed; the
 * content before and after goes to the audit log (`template.save`), which is the template's history. An entry that
 * names the version it was edited from is refused when the stored one has moved on (someone else saved meanwhile).
 *
 * Messages already in the outbox render with the template in effect when they are sent; what was sent is kept on
 * the outbox row (`payload`).
 */
import { and, eq, sql } from 'drizzle-orm';
import { templates } from '../../db/schema.ts';
import { parseTemplateFile, parseTemplateSource, TemplateFileError, type TemplateFileIssue } from '../../domain/templates/index.ts';
import { recordAudit } from '../access/audit.ts';
import { AppError, compose, say, t, type DetailInput, type Text } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';

export interface SavedTemplate {
  key: string;
  channel: string;
  language: string;
  version: number;
  /** created: new for the company; updated: new content, new version; unchanged: same content, nothing written. */
  result: 'created' | 'updated' | 'unchanged';
}

/** The problem's message already says where in the field it is (line and column). */
function detail(i: TemplateFileIssue): DetailInput {
  return { path: i.path || '(file)', reason: i.message };
}

function toAppError(error: TemplateFileError): AppError {
  const first = error.issues[0]!;
  const n = error.issues.length;
  const message =
    n === 1
      ? compose((l) => `${l === 'es' ? 'la plantilla no es válida' : 'the template is not valid'}: ${first.path ? `${first.path}: ` : ''}${say(first.message, l)}`)
      : t(`the templates are not valid (${n} problems; nothing was saved)`, `las plantillas no son válidas (${n} problemas; no se guardó nada)`);
  return new AppError('validation_failed', message, error.issues.map(detail));
}

/** Stable JSON (sorted keys), so a re-saved template with its fields in another order is "unchanged". */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Validates and saves templates given as file text (`source`, YAML or JSON) or already parsed (`input`). */
export async function saveTemplates(ctx: Ctx, options: { source: string } | { input: unknown }): Promise<SavedTemplate[]> {
  let entries;
  try {
    entries = parseTemplateFile('source' in options ? parseTemplateSource(options.source) : options.input);
  } catch (error) {
    if (error instanceof TemplateFileError) throw toAppError(error);
    throw error;
  }
  return ctx.database.db.transaction(async (tx) => {
    // One saver at a time per company: versions go up by exactly one and the optimistic checks hold.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7261005, ${ctx.companyId}::int)`);
    const now = ctx.clock.now();
    const out: SavedTemplate[] = [];
    const conflicts: Array<{ path: string; reason: Text }> = [];
    for (const e of entries) {
      const tpl = e.template;
      const [current] = await tx
        .select()
        .from(templates)
        .where(and(eq(templates.companyId, ctx.companyId), eq(templates.key, tpl.key), eq(templates.channel, tpl.channel), eq(templates.language, tpl.language)));
      const name = `${tpl.key} (${tpl.channel}, ${tpl.language})`;
      if (e.version !== null && e.version !== (current?.version ?? 0)) {
        conflicts.push({
          path: e.path ? `${e.path}.version` : 'version',
          reason: current
            ? t(
                `${name} is at version ${current.version}, not ${e.version}: someone saved it since; show it again, reapply your change and save`,
                `${name} está en la versión ${current.version}, no en la ${e.version}: alguien la guardó después; muéstrela de nuevo, vuelva a aplicar su cambio y guarde`,
              )
            : t(`${name} does not exist yet: leave version out to create it`, `${name} todavía no existe: omita version para crearla`),
        });
        continue;
      }
      const content = tpl.content as unknown as Record<string, unknown>;
      if (!current) {
        await tx.insert(templates).values({ companyId: ctx.companyId, key: tpl.key, channel: tpl.channel, language: tpl.language, content, createdBy: ctx.actor, updatedBy: ctx.actor, createdAt: now, updatedAt: now, version: 1 });
        await recordAudit(ctx, { action: 'template.save', entity: 'template', entityId: `${tpl.key}/${tpl.channel}/${tpl.language}`, before: null, after: { version: 1, content } }, tx);
        out.push({ key: tpl.key, channel: tpl.channel, language: tpl.language, version: 1, result: 'created' });
        continue;
      }
      if (canonical(current.content) === canonical(content)) {
        out.push({ key: tpl.key, channel: tpl.channel, language: tpl.language, version: current.version, result: 'unchanged' });
        continue;
      }
      const version = current.version + 1;
      await tx.update(templates).set({ content, version, updatedAt: now, updatedBy: ctx.actor }).where(eq(templates.id, current.id));
      await recordAudit(
        ctx,
        { action: 'template.save', entity: 'template', entityId: `${tpl.key}/${tpl.channel}/${tpl.language}`, before: { version: current.version, content: current.content }, after: { version, content } },
        tx,
      );
      out.push({ key: tpl.key, channel: tpl.channel, language: tpl.language, version, result: 'updated' });
    }
    if (conflicts.length) {
      // Nothing is saved when any entry is stale: the transaction rolls back.
      const n = conflicts.length;
      throw new AppError('conflict', n === 1 ? conflicts[0]!.reason : t(`${n} templates changed since they were edited; nothing was saved`, `${n} plantillas cambiaron desde que se editaron; no se guardó nada`), conflicts);
    }
    return out;
  });
}
