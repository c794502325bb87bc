/**
 * Every back-office table and report as rows: one registry feeds the XLSX/CSV downloads, the read-only reporting API
 * (JSON, paginated) and the flat CSV feed Excel and Power BI refresh from. Exports are audited.
 */
import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { writeCsv, writeXlsx, type Cell, type Column } from '../shared/tabular.ts';
import { getWorklist, listAlerts, listInteractions, ownAlertsOf } from '../worklists/index.ts';
import { getDashboard, type DashboardFilters } from './dashboard.ts';
import { say, t, type Language, type Text } from '../../domain/text.ts';
import { bucketName, phaseName } from '../../domain/aging.ts';

export const REPORTS = ['kpis', 'portfolio', 'trend', 'recovery', 'collectors', 'channels', 'steps', 'interactions', 'worklist', 'alerts'] as const;
export type ReportName = (typeof REPORTS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ReportParams extends Partial<DashboardFilters> {
  /** For the worklist report. */
  collectorId?: number | undefined;
}

/** Sheet names, by report. */
const SHEETS: Record<ReportName, Text> = {
  kpis: t('KPIs', 'Indicadores'),
  portfolio: t('Portfolio', 'Cartera'),
  trend: t('Trend', 'Tendencia'),
  recovery: t('Recovery', 'Recuperación'),
  collectors: t('Collectors', 'Gestores'),
  channels: t('Channels', 'Canales'),
  steps: t('Steps', 'Acciones'),
  interactions: t('Interactions', 'Gestiones'),
  worklist: t('Worklist', 'Mi día'),
  alerts: t('Alerts', 'Alertas'),
};

/** Columns that hold money, each with the column naming its currency (written as numbers in XLSX). */
const MONEY: Record<string, string> = { balance: 'currency', past_due: 'currency', collected: 'currency', expected_recovery: 'currency', promise_amount: 'promise_currency' };

const COUNT = '#,##0';
/** Columns that hold other numbers (KPI values, rates, counts), with their XLSX number format. */
const NUMBERS: Record<string, string> = {
  value: '#,##0.00',
  cost_per_peso_recovered: '0.0000',
  score: '0.00',
  days_past_due: COUNT,
  ...Object.fromEntries(['accounts', 'payments', 'interactions', 'answered', 'right_party', 'promises', 'kept', 'broken', 'sent', 'delivered', 'read', 'failed', 'replied', 'paid_within_7_days', 'count'].map((k) => [k, COUNT])),
};

/** Each report's columns: its JSON field names, which are also the English headers, and the Spanish headers. */
const COLUMNS: Record<ReportName, Array<[string, string]>> = {
  kpis: [['name', 'indicador'], ['currency', 'moneda'], ['value', 'valor'], ['variant', 'variante'], ['formula', 'fórmula']],
  portfolio: [['currency', 'moneda'], ['phase', 'fase'], ['bucket', 'tramo'], ['accounts', 'cuentas'], ['balance', 'saldo']],
  trend: [['as_of', 'fecha'], ['currency', 'moneda'], ['accounts', 'cuentas'], ['balance', 'saldo'], ['past_due', 'saldo vencido']],
  recovery: [['grain', 'periodicidad'], ['period', 'periodo'], ['currency', 'moneda'], ['collected', 'recuperado'], ['payments', 'pagos']],
  collectors: [['collector_id', 'gestor'], ['name', 'nombre'], ['interactions', 'gestiones'], ['answered', 'contactos'], ['right_party', 'contactos titulares'], ['promises', 'promesas'], ['kept', 'cumplidas'], ['broken', 'incumplidas'], ['collected', 'recuperado'], ['cost', 'costo del periodo'], ['cost_per_peso_recovered', 'costo por peso recuperado'], ['cost_variant', 'variante del costo']],
  channels: [['channel', 'canal'], ['sent', 'enviados'], ['delivered', 'entregados'], ['read', 'leídos'], ['failed', 'fallidos'], ['replied', 'respondidos'], ['paid_within_7_days', 'pagaron en 7 días']],
  steps: [['strategy', 'estrategia'], ['step', 'acción'], ['channel', 'canal'], ['sent', 'enviados'], ['delivered', 'entregados'], ['read', 'leídos'], ['failed', 'fallidos'], ['replied', 'respondidos'], ['paid_within_7_days', 'pagaron en 7 días']],
  interactions: [['id', 'id'], ['occurred_at', 'fecha'], ['debtor_external_id', 'deudor'], ['channel', 'canal'], ['outcome', 'resultado'], ['notes', 'notas'], ['next_action_on', 'próxima acción'], ['collector_id', 'gestor'], ['actor', 'registrado por'], ['promise_amount', 'monto prometido'], ['promise_currency', 'moneda'], ['promise_date', 'fecha prometida']],
  worklist: [['category', 'categoría'], ['debtor_external_id', 'deudor'], ['debtor_name', 'nombre'], ['reason', 'motivo'], ['due', 'vence'], ['phase', 'fase'], ['days_past_due', 'días de atraso'], ['currency', 'moneda'], ['balance', 'saldo'], ['expected_recovery', 'recuperación esperada'], ['score', 'puntaje']],
  alerts: [['kind', 'tipo'], ['severity', 'severidad'], ['title', 'alerta'], ['count', 'cantidad'], ['debtor_external_id', 'deudor'], ['text', 'detalle'], ['since', 'desde']],
};

/** The columns of a report: keys are the JSON field names; headers are those in English, or Spanish ones. */
export function reportColumns(report: ReportName, language: Language = 'en'): Column[] {
  return COLUMNS[report].map(([key, es]) => ({
    key,
    header: language === 'es' ? es : key,
    ...(MONEY[key] && { money: { currencyKey: MONEY[key] } }),
    ...(NUMBERS[key] && { number: NUMBERS[key] }),
  }));
}

/** Recovery grains in Spanish. */
const GRAIN_ES: Record<string, string> = { day: 'día', week: 'semana', month: 'mes' };

/** A row of a download with its word values (phase, bucket, grain) in `language`; codes stay codes in English. */
function wordsIn(row: Record<string, Cell>, language: Language): Record<string, Cell> {
  if (language !== 'es') return row;
  const out = { ...row };
  if (typeof out.phase === 'string') out.phase = phaseName(out.phase, language);
  if (typeof out.bucket === 'string') out.bucket = bucketName(out.bucket, language);
  if (typeof out.grain === 'string') out.grain = GRAIN_ES[out.grain] ?? out.grain;
  return out;
}

function needPeriod(params: ReportParams): DashboardFilters {
  if (!params.from || !params.to) throw new AppError('validation_failed', t('this report needs a period: from and to (YYYY-MM-DD)', 'este reporte necesita un periodo: from y to (AAAA-MM-DD)'), [{ path: 'from', reason: t('required', 'obligatorio') }]);
  return params as DashboardFilters;
}

/** The rows of a report, in order; sentences they carry (a KPI's formula) in `language`. */
export async function* reportRows(ctx: Ctx, report: ReportName, params: ReportParams, language: Language = 'en'): AsyncGenerator<Record<string, Cell>> {
  switch (report) {
    case 'interactions': {
      const p = needPeriod(params);
      const tz = await ctx.database.query<{ tz: string }>(sql`SELECT time_zone AS tz FROM companies WHERE id = ${ctx.companyId}`);
      const bound = async (d: string) => (await ctx.database.query<{ t: string }>(sql`SELECT (${d}::date::timestamp AT TIME ZONE ${tz[0]!.tz})::text AS t`))[0]!.t;
      const from = new Date(await bound(p.from));
      const to = new Date(await bound(nextDay(p.to)));
      let before: number | undefined;
      for (;;) {
        const page = await listInteractions(ctx, { from, to, collectorId: params.collectorId, limit: 1000, beforeId: before });
        for (const i of page.data) {
          yield {
            id: i.id,
            occurred_at: i.occurred_at,
            debtor_external_id: i.debtor_external_id,
            channel: i.channel,
            outcome: i.outcome,
            notes: i.notes,
            next_action_on: i.next_action_on,
            collector_id: i.collector_id,
            actor: i.actor,
            promise_amount: i.promise?.amount ?? null,
            promise_currency: i.promise?.currency ?? null,
            promise_date: i.promise?.date ?? null,
          };
        }
        if (page.next_before_id === null) return;
        before = page.next_before_id;
      }
    }
    case 'worklist': {
      if (!params.collectorId) throw new AppError('validation_failed', t('the worklist report needs collector_id', 'el reporte de lista de trabajo necesita collector_id'), [{ path: 'collector_id', reason: t('required', 'obligatorio') }]);
      let cursor: string | undefined;
      for (;;) {
        const page = await getWorklist(ctx, { collectorId: params.collectorId, limit: 500, cursor, language });
        for (const i of page.items) yield { ...i } as unknown as Record<string, Cell>;
        if (!page.next_cursor) return;
        cursor = page.next_cursor;
      }
    }
    case 'alerts': {
      // The same alerts GET /alerts shows the principal: collectors and agencies their own accounts'.
      for (const a of await listAlerts(ctx, { itemLimit: 500, collectorId: ownAlertsOf(ctx) })) {
        for (const i of a.items) yield { kind: a.kind, severity: a.severity, title: a.title, count: a.count, debtor_external_id: i.debtor_external_id, text: i.text, since: i.since };
      }
      return;
    }
    default: {
      const d = await getDashboard(ctx, needPeriod(params), language);
      if (report === 'kpis') for (const k of d.kpis) yield { name: k.name, currency: k.currency, value: k.value, variant: k.variant, formula: k.formula };
      else if (report === 'portfolio') for (const p of d.portfolio) yield { ...p };
      else if (report === 'trend') for (const t of d.trend) yield { ...t };
      else if (report === 'recovery') for (const grain of ['day', 'week', 'month'] as const) for (const r of d.recovery[grain]) yield { grain, ...r };
      else if (report === 'collectors') {
        for (const { cost, cost_per_peso_recovered: perPeso, ...c } of d.collectors) {
          yield { ...c, collected: Object.entries(c.collected).map(([cur, v]) => `${v} ${cur}`).join('; '), cost: cost ? `${cost.amount} ${cost.currency}` : null, cost_per_peso_recovered: perPeso.value, cost_variant: perPeso.variant };
        }
      }
      else if (report === 'channels') for (const c of d.channels) yield { ...c };
      else if (report === 'steps') for (const s of d.steps) yield { ...s };
    }
  }
}

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** Narrows a report name from user input. */
export function parseReportName(value: string): ReportName {
  if (!(REPORTS as readonly string[]).includes(value)) throw new AppError('not_found', t(`there is no report "${value}"; reports: ${REPORTS.join(', ')}`, `no existe el reporte "${value}"; reportes: ${REPORTS.join(', ')}`));
  return value as ReportName;
}

/**
 * Writes a report to `out` as CSV, XLSX or a JSON array, and records the export in the audit log (who exported what,
 * with which filters) — written after the first row is read, so a refused request leaves no entry and no file. CSV and
 * XLSX have their sheet name, headers and word values in `language` (English by default); JSON keeps its keys and codes.
 * Every format has its sentences (a KPI's formula) in `language`.
 */
export async function exportReport(ctx: Ctx, input: { report: ReportName; format: ExportFormat; params: ReportParams; out: Writable; via: string; language?: Language | undefined }): Promise<{ rows: number }> {
  const language = input.language ?? 'en';
  const rows = reportRows(ctx, input.report, input.params, language);
  const first = await rows.next();
  let n = 0;
  const all = (async function* () {
    if (first.done) return;
    n++;
    yield first.value;
    for await (const r of rows) {
      n++;
      yield r;
    }
  })();
  await recordAudit(ctx, { action: 'report.export', entity: 'report', entityId: input.report, after: { format: input.format, via: input.via, params: input.params } });
  const columns = reportColumns(input.report, language);
  const table = (async function* () {
    for await (const r of all) yield wordsIn(r, language);
  })();
  if (input.format === 'csv') await writeCsv(input.out, columns, table);
  else if (input.format === 'xlsx') await writeXlsx(input.out, say(SHEETS[input.report], language), columns, table);
  else {
    input.out.write('[');
    for await (const r of all) input.out.write(`${n > 1 ? ',' : ''}\n${JSON.stringify(r)}`);
    input.out.write(n ? '\n]\n' : ']\n');
  }
  return { rows: n };
}
