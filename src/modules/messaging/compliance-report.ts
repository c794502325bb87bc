import { sql } from 'drizzle-orm';
import { addDays, parseDate, type PlainDate } from '../../domain/calendar.ts';
import { AppError, invalidInput } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';
import { loadAutomationSettings } from './settings.ts';
import { say, t, type Language, type Text } from '../../domain/text.ts';
import { parseStoredReason, storedReasonText } from '../../domain/compliance/index.ts';
import type { Column } from '../shared/tabular.ts';

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
  /** Why, in the report's language; a decision logged before reasons were data keeps its Spanish sentence. */
  reason: string;
  /** The kind of reason (allowed, hours, holiday, cap, hold, …: reason.ts); null for a decision logged as a sentence. */
  reasonCode: string | null;
  nextAllowedAt: Date | null;
  outboxMessageId: number | null;
  taskId: number | null;
}

/** The report's XLSX sheet: the same for the API's download and the CLI's report. */
const SHEET = t('compliance', 'cumplimiento');

/** The name of the report's XLSX sheet in `language`. */
export const complianceReportSheet = (language: Language): string => say(SHEET, language);

/** The name of the report's file (without extension) in `language`. */
export const complianceReportFileName = (from: string, to: string, language: Language): string => `${say(SHEET, language)}_${from}_${to}`;

/**
 * The report's columns for CSV/XLSX. Codes (channel, stage, rule, rule set, reason code, country) stay codes in both
 * languages; the headers and the reason are the reader's.
 */
const COLUMNS = [
  { key: 'at', header: t('at', 'fecha_hora') },
  { key: 'debtor', header: t('debtor', 'deudor') },
  { key: 'debtorName', header: t('name', 'nombre') },
  { key: 'country', header: t('country', 'pais') },
  { key: 'channel', header: t('channel', 'canal') },
  { key: 'stage', header: t('stage', 'etapa') },
  { key: 'allowed', header: t('allowed', 'permitido') },
  { key: 'rule', header: t('rule', 'regla') },
  { key: 'ruleSet', header: t('rule_set', 'reglamento') },
  { key: 'reason', header: t('reason', 'motivo') },
  { key: 'nextAllowedAt', header: t('next_allowed_at', 'proximo_permitido') },
  { key: 'outboxMessageId', header: t('message', 'mensaje') },
  { key: 'taskId', header: t('task', 'tarea') },
  // Last, so the columns the report has always had keep their places.
  { key: 'reasonCode', header: t('reason_code', 'codigo_motivo') },
] as const satisfies ReadonlyArray<{ key: keyof ComplianceReportRow; header: Text }>;

type ComplianceReportKey = (typeof COLUMNS)[number]['key'];

/** The report's columns with their headers in `language`. */
export function complianceReportColumns(language: Language): Column[] {
  return COLUMNS.map((c) => ({ key: c.key, header: say(c.header, language) }));
}

/** A report row as table cells for CSV/XLSX (instants in ISO 8601 UTC), keyed like {@link complianceReportColumns}. */
export function complianceReportCells(r: ComplianceReportRow): Record<ComplianceReportKey, string | number | boolean | null> {
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
    reasonCode: r.reasonCode,
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
 * with the rule that allowed it, and each refusal with its rule and reason, written in `language` (Spanish when not
 * given). Read page by page, so a long period streams.
 */
export async function* complianceReport(ctx: Ctx, options: { from: string; to: string; pageSize?: number; language?: Language | undefined }): AsyncGenerator<ComplianceReportRow> {
  const language = options.language ?? 'es';
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
        // A reason logged as data (reason.ts) is written out here in the report's language.
        reason: storedReasonText(r.reason as string, language),
        reasonCode: parseStoredReason(r.reason as string)?.code ?? null,
        nextAllowedAt: r.next_allowed_at ? new Date(r.next_allowed_at as string) : null,
        outboxMessageId: r.outbox_message_id === null ? null : Number(r.outbox_message_id),
        taskId: r.task_id === null ? null : Number(r.task_id),
      };
    }
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.id);
  }
}
