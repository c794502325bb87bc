import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, plainDate, queryText } from '../../schemas.ts';
import { downloadLanguageQuery } from '../../download.ts';
import { answerLanguage, downloadLanguage } from '../../language.ts';
import type { Language } from '../../../domain/text.ts';
import { EXPORT_FORMATS, exportReport, getDashboard, parseReportName, refreshBackOffice, REPORTS, reportRows, type ReportName, type ReportParams } from '../../../modules/analytics/index.ts';
import type { Ctx } from '../../../modules/shared/context.ts';
import { companyToday } from '../../../modules/worklists/index.ts';
import { addDays, type PlainDate } from '../../../domain/calendar.ts';
import { worklistOwner } from '../worklists/worklist.route.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const Filters = {
  from: plainDate.optional().describe('first day (default: 89 days before to)'),
  to: plainDate.optional().describe("last day (default: today in the company's time zone)"),
  portfolio: queryText.optional(),
  segment: queryText.optional(),
  phase: queryText.optional(),
  collector_id: id.optional(),
  currency: z.string().length(3).optional(),
};

type FilterQuery = { from?: string | undefined; to?: string | undefined; portfolio?: string | undefined; segment?: string | undefined; phase?: string | undefined; collector_id?: number | undefined; currency?: string | undefined };

async function params(ctx: Ctx, q: FilterQuery): Promise<ReportParams & { from: string; to: string }> {
  const to = (q.to ?? (await companyToday(ctx))) as PlainDate;
  return { from: q.from ?? addDays(to, -89), to, portfolio: q.portfolio, segment: q.segment, phase: q.phase, collectorId: q.collector_id, currency: q.currency };
}

/** A report's parameters; the worklist report is a collector's own unless the principal may see others' (as GET /worklist). */
async function reportParams(ctx: Ctx, report: ReportName, q: FilterQuery): Promise<ReportParams & { to: string }> {
  const p = await params(ctx, q);
  return report === 'worklist' ? { ...p, collectorId: worklistOwner(ctx, q.collector_id) } : p;
}

const KpiSchema = z.object({ name: z.string(), currency: z.string().nullable(), value: z.number().nullable().describe('null when undefined (shown as —)'), variant: z.string(), formula: z.string() });
const NotFilteredSchema = z.object({
  figures: z.array(z.string()).describe('KPI names (roll rates as roll_rate) or parts: recovery, channels, steps, collectors.activity, collectors.collected, collectors.cost'),
  filters: z.array(z.enum(['portfolio', 'segment', 'phase', 'collector', 'currency'])).describe('the chosen filters these figures do not follow'),
  reason: z.enum(['no_currency', 'messages_have_no_collector', 'money_by_portfolio_and_collector', 'rates_by_bucket', 'cost_of_the_whole_collector']),
  explanation: z.string(),
});
const DashboardSchema = z
  .looseObject({
    from: z.string(),
    to: z.string(),
    as_of: z.string().nullable(),
    currencies: z.array(z.string()),
    kpis: z.array(KpiSchema),
    not_filtered: z.array(NotFilteredSchema).describe('which figures do not follow some of the chosen filters, and why (empty when all do); contact, collector and channel figures follow portfolio, segment and phase by the accounts the debtor had on the day of the activity (ADR 0011)'),
  })
  .meta({ id: 'Dashboard' });

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', json: 'application/json; charset=utf-8' } as const;

/** Dashboards and KPIs, the refresh after the run, the read-only reporting API, exports and the BI feed. */
export function analyticsRoutes(app: App): void {
  app.get(
    '/dashboard',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['analytics'],
        summary: 'Portfolio by phase and bucket with trends, recovery by day/week/month, DSO, BPDSO, ADD, CEI, delinquency, roll and cure rates, promise and contact rates, per-collector, per-channel and per-step results — per currency, each KPI with its variant and its formula in the Accept-Language (English by default)',
        querystring: z.strictObject(Filters),
        response: { 200: DashboardSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      return (await getDashboard(ctx, await params(ctx, request.query), answerLanguage(request, reply))) as unknown as z.infer<typeof DashboardSchema>;
    },
  );

  app.post(
    '/analytics/refresh',
    {
      config: { permission: 'runs:execute' },
      schema: {
        tags: ['analytics'],
        summary: 'Assign new accounts, score the worklists and sum the day for the dashboards (the daily run does it after each run)',
        body: z.strictObject({ as_of: plainDate.optional() }).optional(),
        response: { 200: z.looseObject({}), ...errorResponses },
      },
    },
    async (request) => (await refreshBackOffice(ctxOf(request), { asOf: request.body?.as_of })) as unknown as Record<string, unknown>,
  );

  app.get(
    '/reports/data/:report',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['analytics'],
        summary: `Read-only reporting API: one report as JSON rows, paginated (reports: ${REPORTS.join(', ')}); sentences (a KPI's formula) in the Accept-Language, English by default`,
        params: z.strictObject({ report: z.string().min(1).max(40) }),
        querystring: z.strictObject({ ...Filters, limit: z.coerce.number().int().min(1).max(5000).default(500), offset: z.coerce.number().int().min(0).max(10_000_000).default(0) }),
        response: { 200: z.object({ report: z.string(), data: z.array(z.looseObject({})), next_offset: z.number().int().nullable() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const report = parseReportName(request.params.report);
      const language = answerLanguage(request, reply);
      const { limit, offset } = request.query;
      const data: Array<Record<string, unknown>> = [];
      let i = 0;
      let more = false;
      for await (const row of reportRows(ctx, report, await reportParams(ctx, report, request.query), language)) {
        if (i++ < offset) continue;
        if (data.length === limit) {
          more = true;
          break;
        }
        data.push(row);
      }
      return { report, data, next_offset: more ? offset + limit : null };
    },
  );

  const download = async (ctx: Ctx, reportName: string, format: (typeof EXPORT_FORMATS)[number], q: FilterQuery, via: string, language: Language) => {
    const report = parseReportName(reportName);
    const out = new PassThrough();
    const params = await reportParams(ctx, report, q);
    const done = exportReport(ctx, { report, format, params, out, via, language }).then(
      () => {
        if (!out.writableEnded) out.end();
      },
      (error: unknown) => {
        out.destroy(error as Error);
        throw error;
      },
    );
    // Refusals (bad filters, unknown collector) happen before the first byte: wait for data or the end, so they
    // become a 4xx instead of a broken download.
    await Promise.race([once(out, 'readable'), done]);
    done.catch(() => {});
    return { report, out, asOf: params.to };
  };

  app.get(
    '/reports/export/:report',
    {
      config: { permission: 'reports:export' },
      schema: {
        tags: ['analytics'],
        summary: 'Download a report as XLSX, CSV or JSON, named <report>-<last day>.<format> (audited; XLSX and CSV headers and words, and the sentences of every format, in ?language= or the Accept-Language, English by default)',
        params: z.strictObject({ report: z.string().min(1).max(40) }),
        querystring: z.strictObject({ ...Filters, format: z.enum(EXPORT_FORMATS).default('xlsx'), language: downloadLanguageQuery }),
      },
    },
    async (request, reply) => {
      const { format, language: chosen, ...q } = request.query;
      const language = downloadLanguage(request, reply, chosen);
      const { report, out, asOf } = await download(ctxOf(request), request.params.report, format, q, 'download', language);
      // Named by the last day it covers (today in the company's time zone when no `to` was given), in any language.
      return reply
        .header('content-type', CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${report}-${asOf}.${format}"`)
        .send(out);
    },
  );

  app.get(
    '/reports/feed/:report',
    {
      config: { permission: 'reports:export' },
      schema: {
        tags: ['analytics'],
        summary: 'Flat CSV feed for Excel and Power BI (authenticate with an API key: Authorization: Bearer …); a rolling 90 days unless from/to are given; headers in ?language= or the Accept-Language, English by default',
        params: z.strictObject({ report: z.string().min(1).max(45) }),
        querystring: z.strictObject({ ...Filters, language: downloadLanguageQuery }),
      },
    },
    async (request, reply) => {
      const name = request.params.report.replace(/\.csv$/, '');
      const { language: chosen, ...q } = request.query;
      const { out } = await download(ctxOf(request), name, 'csv', q, 'feed', downloadLanguage(request, reply, chosen));
      return reply.header('content-type', CONTENT_TYPES.csv).header('cache-control', 'no-store').send(out);
    },
  );
}
