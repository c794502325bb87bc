import { sql } from 'drizzle-orm';
import { addDays, parseDate, type PlainDate } from '../../domain/calendar.ts';
import { AppError, invalidInput } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { loadAutomationSettings } from './settings.ts';
import { t } from '../../domain/text.ts';
import { storedReasonText } from '../../domain/compliance/index.ts';

export interface ComplianceReportRow {
  id: number;
  /** The instant the gate judged. */
  at: Date;
  debtor: string;
  debtorName: string;
  country: string;
  channel: string;
  /** plan | dispatch */
  stage: string;
  allowed: boolean;
  rule: string;
  ruleSet: string | null;
  reason: string;
  nextAllowedAt: Date | null;
  outboxMessageId: number | null;
  taskId: number | null;
}

/** The report's XLSX sheet: the same for the API's download and the CLI's report. */
export const COMPLIANCE_REPORT_SHEET = 'cumplimiento';

export const COMPLIANCE_REPORT_COLUMNS = [
  { key: 'at', header: 'fecha_hora' },
  { key: 'debtor', header: 'deudor' },
  { key: 'debtorName', header: 'nombre' },
  { key: 'country', header: 'pais' },
  { key: 'channel', header: 'canal' },
  { key: 'stage', header: 'etapa' },
  { key: 'allowed', header: 'permitido' },
  { key: 'rule', header: 'regla' },
  { key: 'ruleSet', header: 'reglamento' },
  { key: 'reason', header: 'motivo' },
  { key: 'nextAllowedAt', header: 'proximo_permitido' },
  { key: 'outboxMessageId', header: 'mensaje' },
  { key: 'taskId', header: 'tarea' },
] as const;

/** A report row as table cells for CSV/XLSX (instants in ISO 8601 UTC), keyed like COMPLIANCE_REPORT_COLUMNS. */
export function complianceReportCells(r: ComplianceReportRow): Record<(typeof COMPLIANCE_REPORT_COLUMNS)[number]['key'], string | number | boolean | null> {
  return {
    at: r.at.toISOString(),
    debtor: r.debtor,
    debtorName: r.debtorName,
    country: r.country,
    channel: r.channel,
    stage: r.stage,
    allowed: r.allowed,
    rule: r.rule,
    ruleSet: r.ruleSet,
    reason: r.reason,
    nextAllowedAt: r.nextAllowedAt?.toISOString() ?? null,
    outboxMessageId: r.outboxMessageId,
    taskId: r.taskId,
  };
}

function day(input: string, path: string): PlainDate {
  try {
    return parseDate(input);
  } catch (error) {
    throw invalidInput(error, path);
  }
}

/**
 * Every decision of the contact gate between two dates (inclusive, company time zone), oldest first: each contact
 * with the rule that allowed it, and each refusal with its rule and reason. Read page by page, so a long period
 * streams.
 */
export async function* complianceReport(ctx: Ctx, options: { from: string; to: string; pageSize?: number }): AsyncGenerator<ComplianceReportRow> {
  const from = day(options.from, 'from');
  const to = day(options.to, 'to');
  if (to < from) throw new AppError('validation_failed', t(`"to" (${to}) is before "from" (${from})`, `"to" (${to}) es anterior a "from" (${from})`), [{ path: 'to', reason: t('must not be before from', 'no debe ser anterior a from') }]);
  const { timeZone } = await loadAutomationSettings(ctx);
  const pageSize = options.pageSize ?? 5000;
  let after = 0;
  for (;;) {
    const rows = await ctx.database.query<Record<string, unknown>>(sql`
      SELECT d.id, d.at, db.external_id, db.name, db.country::text AS country, d.channel, d.stage, d.allowed, d.rule, d.rule_set,
             d.reason, d.next_allowed_at, d.outbox_message_id, d.task_id
        FROM contact_decisions d JOIN debtors db ON db.id = d.debtor_id
       WHERE d.company_id = ${ctx.companyId}
         AND d.at >= (${from}::date)::timestamp AT TIME ZONE ${timeZone}
         AND d.at < (${addDays(to, 1)}::date)::timestamp AT TIME ZONE ${timeZone}
         AND d.id > ${after}
       ORDER BY d.id
       LIMIT ${pageSize}`);
    for (const r of rows) {
      yield {
        id: Number(r.id),
        at: new Date(r.at as string),
        debtor: r.external_id as string,
        debtorName: r.name as string,
        country: r.country as string,
        channel: r.channel as string,
        stage: r.stage as string,
        allowed: r.allowed as boolean,
        rule: r.rule as string,
        ruleSet: (r.rule_set as string | null) ?? null,
        // Spanish, as the report's headers are; a reason logged as data (reason.ts) is written out here.
        reason: storedReasonText(r.reason as string, 'es'),
        nextAllowedAt: r.next_allowed_at ? new Date(r.next_allowed_at as string) : null,
        outboxMessageId: r.outbox_message_id === null ? null : Number(r.outbox_message_id),
        taskId: r.task_id === null ? null : Number(r.task_id),
      };
    }
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.id);
  }
}
