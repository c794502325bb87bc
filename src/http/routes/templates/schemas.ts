import { z } from 'zod';
import { TEMPLATE_CHANNELS, TEMPLATE_LANGUAGES } from '../../../domain/templates/index.ts';
import type { SavedTemplate, TemplateDetail, TemplateSummary } from '../../../modules/messaging/index.ts';

export const TemplateSummarySchema = z
  .object({
    key: z.string(),
    channel: z.enum(TEMPLATE_CHANNELS),
    language: z.enum(TEMPLATE_LANGUAGES),
    source: z.enum(['company', 'default']).describe("company: the company's own (it replaces a default with the same key, channel and language); default: shipped with the product"),
    version: z.number().int().nullable().describe("the company template's version; null for a default"),
    overrides_default: z.boolean(),
    updated_at: z.string().nullable(),
    updated_by: z.string().nullable(),
  })
  .meta({ id: 'TemplateSummary' });

export const TemplateDetailSchema = TemplateSummarySchema.extend({
  content: z.record(z.string(), z.unknown()).describe('email: subject, html, text · sms: body · whatsapp: approved {name, language, category}, body · letter: title, body[]'),
}).meta({ id: 'TemplateDetail' });

export const SavedTemplateSchema = z
  .object({
    key: z.string(),
    channel: z.string(),
    language: z.string(),
    version: z.number().int(),
    result: z.enum(['created', 'updated', 'unchanged']),
  })
  .meta({ id: 'SavedTemplate' });

export function summaryView(t: TemplateSummary) {
  return {
    key: t.key,
    channel: t.channel,
    language: t.language,
    source: t.source,
    version: t.version,
    overrides_default: t.overridesDefault,
    updated_at: t.updatedAt?.toISOString() ?? null,
    updated_by: t.updatedBy,
  };
}

export function detailView(t: TemplateDetail) {
  return { ...summaryView(t), content: t.template.content as unknown as Record<string, unknown> };
}

export const savedView = (s: SavedTemplate) => ({ key: s.key, channel: s.channel, language: s.language, version: s.version, result: s.result });
