import { z } from 'zod';
import type { App } from '../../app.ts';
import { ctxOf } from '../../auth.ts';
import { errorResponses, plainDate } from '../../schemas.ts';
import { complianceReport, complianceReportCells, complianceReportColumns, complianceReportFileName, complianceReportSheet, type ComplianceReportRow } from '../../../modules/messaging/index.ts';
import { downloadLanguageQuery, sendTable } from '../../download.ts';
import { downloadLanguage } from '../../language.ts';
import { zodText } from '../../../domain/zod-issues.ts';
import { t } from '../../../domain/text.ts';

const Query = z
  .strictObject({
    from: plainDate,
    to: plainDate,
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
    language: downloadLanguageQuery,
  })
  .refine((q) => q.to >= q.from, { message: zodText(t('to must not be before from', 'to no debe ser anterior a from')), path: ['to'] });

const RowSchema = z.object({
  at: z.string(),
  debtor: z.string(),
  debtor_name: z.string(),
  country: z.string(),
  channel: z.string(),
  stage: z.string().describe('plan or dispatch'),
  allowed: z.boolean(),
  rule: z.string(),
  rule_set: z.string().nullable(),
  reason: z.string().describe("why, in the report's language (a decision logged before reasons were data keeps its Spanish sentence)"),
  reason_code: z.string().nullable().describe('the kind of reason (allowed, hours, holiday, cap, hold, …); null for a decision logged as a sentence'),
  next_allowed_at: z.string().nullable(),
  outbox_message_id: z.number().int().nullable(),
  task_id: z.number().int().nullable(),
});

const ReportSchema = z.object({ from: z.string(), to: z.string(), data: z.array(RowSchema) }).meta({ id: 'ComplianceReport' });

/** Starts the report and reads its first row, so a bad request fails before any byte of a file is sent. */
async function primed(rows: AsyncGenerator<ComplianceReportRow>): Promise<AsyncIterable<ComplianceReportRow>> {
  const first = await rows.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* rows;
  })();
}

/** GET /reports/compliance — every contact with the rule that allowed it, and every refusal (JSON, CSV or XLSX). */
export function getComplianceReportRoute(app: App): void {
  app.get(
    '/reports/compliance',
    {
      config: { permission: 'reports:read', wholeCompany: true },
      schema: {
        tags: ['reports'],
        summary:
          "Compliance report: every decision of the contact gate between two dates (company time zone), with its rule; ?format=csv|xlsx for a file; headers and reasons in ?language= or the Accept-Language's language",
        querystring: Query,
        response: { 200: ReportSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { from, to, format, language: chosen } = request.query;
      const language = downloadLanguage(request, reply, chosen);
      const rows = await primed(complianceReport(ctxOf(request), { from, to, language }));
      if (format === 'json') {
        const data = [];
        for await (const r of rows) {
          data.push({
            at: r.at.toISOString(),
            debtor: r.debtor,
            debtor_name: r.debtorName,
            country: r.country,
            channel: r.channel,
            stage: r.stage,
            allowed: r.allowed,
            rule: r.rule,
            rule_set: r.ruleSet,
            reason: r.reason,
            reason_code: r.reasonCode,
            next_allowed_at: r.nextAllowedAt?.toISOString() ?? null,
            outbox_message_id: r.outboxMessageId,
            task_id: r.taskId,
          });
        }
        return { from, to, data };
      }
      const cells = (async function* () {
        for await (const r of rows) yield complianceReportCells(r);
      })();
      return sendTable(reply, { format, fileName: complianceReportFileName(from, to, language), sheet: complianceReportSheet(language), columns: complianceReportColumns(language), rows: cells });
    },
  );
}
