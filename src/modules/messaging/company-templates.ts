/**
 * A company's own message templates next to the product's defaults: listing them, showing one, and the lookup
 * dispatch renders with. A company template wins over the default with the same key, channel and language (see
 * `findTemplate`), so a company can reword any default, or add keys of its own for its strategies.
 */
import { and, asc, eq } from 'drizzle-orm';
import { templates } from '../../db/schema.ts';
import { DEFAULT_TEMPLATES, TEMPLATE_CHANNELS, TEMPLATE_LANGUAGES, type Template, type TemplateChannel, type TemplateLanguage } from '../../domain/templates/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { CompanyTemplates } from './render-message.ts';
import { t } from '../../domain/text.ts';

export interface TemplateSummary {
  key: string;
  channel: TemplateChannel;
  language: TemplateLanguage;
  /** `company`: the company's own (it replaces a default with the same key, if there is one); `default`: shipped. */
  source: 'company' | 'default';
  /** The company template's version; null for a default. */
  version: number | null;
  /** A company template that replaces a default of the same key, channel and language. */
  overridesDefault: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export interface TemplateDetail extends TemplateSummary {
  template: Template;
}

const id = (t: { key: string; channel: string; language: string }) => `${t.key}|${t.channel}|${t.language}`;
const DEFAULT_IDS = new Set(DEFAULT_TEMPLATES.map(id));

type Row = typeof templates.$inferSelect;

function fromRow(r: Row): TemplateDetail {
  const template = { key: r.key, channel: r.channel, language: r.language, content: r.content } as unknown as Template;
  return {
    key: r.key,
    channel: r.channel as TemplateChannel,
    language: r.language as TemplateLanguage,
    source: 'company',
    version: r.version,
    overridesDefault: DEFAULT_IDS.has(id(r)),
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy ?? r.createdBy,
    template,
  };
}

function fromDefault(t: Template): TemplateDetail {
  return { key: t.key, channel: t.channel, language: t.language, source: 'default', version: null, overridesDefault: false, updatedAt: null, updatedBy: null, template: t };
}

/** The templates in effect: the company's own, and every default the company has not replaced, sorted by key. */
export async function listTemplates(
  ctx: Ctx,
  filter: { key?: string | undefined; channel?: TemplateChannel | undefined; language?: TemplateLanguage | undefined; source?: 'company' | 'default' | undefined } = {},
): Promise<TemplateSummary[]> {
  const own = await ctx.database.db.select().from(templates).where(eq(templates.companyId, ctx.companyId)).orderBy(asc(templates.key));
  const ownIds = new Set(own.map(id));
  const all: TemplateDetail[] = [...own.map(fromRow), ...DEFAULT_TEMPLATES.filter((t) => !ownIds.has(id(t))).map(fromDefault)];
  return all
    .filter((t) => (filter.key === undefined || t.key === filter.key) && (filter.channel === undefined || t.channel === filter.channel))
    .filter((t) => (filter.language === undefined || t.language === filter.language) && (filter.source === undefined || t.source === filter.source))
    .sort((a, b) => cmp(a.key, b.key) || TEMPLATE_CHANNELS.indexOf(a.channel) - TEMPLATE_CHANNELS.indexOf(b.channel) || TEMPLATE_LANGUAGES.indexOf(a.language) - TEMPLATE_LANGUAGES.indexOf(b.language))
    .map(({ template: _t, ...summary }) => summary);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every template of a key in effect (optionally one channel / language), with its content. */
export async function showTemplate(ctx: Ctx, input: { key: string; channel?: TemplateChannel | undefined; language?: TemplateLanguage | undefined }): Promise<TemplateDetail[]> {
  const own = await ctx.database.db
    .select()
    .from(templates)
    .where(and(eq(templates.companyId, ctx.companyId), eq(templates.key, input.key)));
  const ownIds = new Set(own.map(id));
  const all = [...own.map(fromRow), ...DEFAULT_TEMPLATES.filter((t) => t.key === input.key && !ownIds.has(id(t))).map(fromDefault)].filter(
    (t) => (input.channel === undefined || t.channel === input.channel) && (input.language === undefined || t.language === input.language),
  );
  if (all.length === 0) {
    const what = [input.channel, input.language].filter(Boolean).join(', ');
    throw new AppError('not_found', t(`there is no template "${input.key}"${what ? ` for ${what}` : ''} (list them with "cobranza templates list")`, `no hay una plantilla "${input.key}"${what ? ` para ${what}` : ''} (consúltelas con "cobranza templates list")`));
  }
  return all.sort((a, b) => TEMPLATE_CHANNELS.indexOf(a.channel) - TEMPLATE_CHANNELS.indexOf(b.channel) || TEMPLATE_LANGUAGES.indexOf(a.language) - TEMPLATE_LANGUAGES.indexOf(b.language));
}

/** The company's templates as the lookup rendering uses (defaults are the caller's fallback). */
export async function loadCompanyTemplates(ctx: Ctx): Promise<CompanyTemplates> {
  const rows = await ctx.database.db.select().from(templates).where(eq(templates.companyId, ctx.companyId));
  // Frozen: rendering caches a template's analysis only for templates that cannot change.
  const byKey = new Map(rows.map((r) => [id(r), deepFreeze(fromRow(r).template)]));
  return (key: string, channel: TemplateChannel, language: TemplateLanguage) => byKey.get(`${key}|${channel}|${language}`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
